export default definePageConfig({ navigationBarTitleText: '其他平台参考' })
