export default definePageConfig({ navigationBarTitleText: '预审结果' })
