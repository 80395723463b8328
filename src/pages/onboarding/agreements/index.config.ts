export default definePageConfig({ navigationBarTitleText: '协议与授权' })
