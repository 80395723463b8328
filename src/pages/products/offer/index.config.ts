export default definePageConfig({ navigationBarTitleText: '借款方案' })
