export default definePageConfig({ navigationBarTitleText: '人脸核身' })
