// Routes: the three tab pages (home, my loans, me) are in the main package, as WeChat requires;
// every other page lives in a subpackage, downloaded when first opened.
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/loans/index', 'pages/me/index'],
  subPackages: [
    {
      root: 'pages/onboarding',
      pages: [
        'agreements/index',
        'real-name/index',
        'precheck/index',
        'bank-card/index',
        'pay-score/index',
        'face/index',
      ],
    },
    {
      root: 'pages/products',
      pages: [
        'index/index',
        'compare/index',
        'competitors/index',
        'offer/index',
        'confirm/index',
        'decision/index',
        'open/index',
        'line/index',
        'explain/index',
        'contracts/index',
        'contract/index',
      ],
    },
    { root: 'pages/loan', pages: ['detail/index', 'receipts/index'] },
    {
      root: 'pages/account',
      pages: ['messages/index', 'help/index', 'my-data/index', 'settings/index', 'about/index'],
    },
  ],
  tabBar: {
    color: '#5c5c5c',
    selectedColor: '#087a4c',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/loans/index',
        text: '我的借款',
        iconPath: 'assets/tab/loans.png',
        selectedIconPath: 'assets/tab/loans-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '开通',
    navigationBarTextStyle: 'black',
  },
})
