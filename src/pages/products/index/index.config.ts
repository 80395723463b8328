export default definePageConfig({ navigationBarTitleText: '选择产品' })
