// Routes: the entry page stays in the main package; every other page lives in a subpackage.
export default defineAppConfig({
  pages: ['pages/index/index'],
  subPackages: [
    {
      root: 'pages/onboarding',
      pages: ['agreements/index', 'real-name/index', 'precheck/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '开通',
    navigationBarTextStyle: 'black',
  },
})
