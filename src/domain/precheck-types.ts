// The pay-score authorization states WeChat Pay reports against the merchant's threshold.
export type PayScoreState = 'AVAILABLE' | 'UNAVAILABLE' | 'UNBINDUSER'
