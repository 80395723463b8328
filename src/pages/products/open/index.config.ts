export default definePageConfig({ navigationBarTitleText: '开通额度' })
