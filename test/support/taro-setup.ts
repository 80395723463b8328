// What Taro's build injects, for pages rendered in jsdom.
process.env.TARO_ENV = 'h5'
const g = globalThis as unknown as Record<string, unknown>
g.defineAppConfig = (config: unknown) => config
g.definePageConfig = (config: unknown) => config
