export default definePageConfig({ navigationBarTitleText: '产品对比' })
