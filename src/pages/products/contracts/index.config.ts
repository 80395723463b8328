export default definePageConfig({ navigationBarTitleText: '我的合同' })
