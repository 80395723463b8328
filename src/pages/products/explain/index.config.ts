export default definePageConfig({ navigationBarTitleText: '决定原因' })
