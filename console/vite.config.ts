// The operator console's build: React 18 + antd 6, served by the local cloud at /console/ (and in
// WeChat Cloud from static website hosting). Each page is its own chunk, loaded when it is opened.
import react from '@vitejs/plugin-react'
import path from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: path.join(__dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
})
