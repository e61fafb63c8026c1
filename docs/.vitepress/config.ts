import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The API pages TypeDoc wrote (scripts/generate-api.mjs), one per package. */
function apiItems(): DefaultTheme.SidebarItem[] {
  const dir = join(root, 'api', '@frugal');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((entry) => entry.replace(/\.md$/, ''))
    .sort()
    .map((name) => ({
      text: `@frugal/${name}`,
      link: existsSync(join(dir, name, 'index.md')) ? `/api/@frugal/${name}/` : `/api/@frugal/${name}`,
    }));
}

export default defineConfig({
  title: 'Frugal',
  description: 'Train good image classifiers from little labelled data, in TypeScript, on TensorFlow.js',
  lang: 'en-GB',
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  cleanUrls: false,
  lastUpdated: false,
  srcExclude: ['examples/**', 'scripts/**', 'test/**', 'public/**', 'node_modules/**', 'README.md'],
  markdown: { math: false, lineNumbers: false },
  themeConfig: {
    logo: '/favicon.svg',
    nav: [
      { text: 'Guide', link: '/guide/quick-start' },
      { text: 'Recipes', link: '/reference/recipes' },
      { text: 'API', link: '/api/' },
      { text: 'Writing a plugin', link: '/adding-a-plugin' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Quick start', link: '/guide/quick-start' },
          { text: 'Recipes', link: '/guide/recipes' },
          { text: 'Backends', link: '/guide/backends' },
          { text: 'Bad input and faults', link: '/guide/bad-input' },
          { text: 'Many machines', link: '/guide/distributed' },
        ],
      },
      {
        text: 'The four levers',
        items: [
          { text: 'Augmentation', link: '/guide/augmentation' },
          { text: 'Transfer learning', link: '/guide/transfer' },
          { text: 'Knowledge distillation', link: '/guide/distillation' },
          { text: 'Unlabelled data', link: '/guide/semi-supervised' },
          { text: 'What 100 labels buy', link: '/guide/few-labels' },
        ],
      },
      {
        text: 'Models',
        items: [
          { text: 'ResNet', link: '/guide/resnet' },
          { text: 'GoogLeNet / Inception', link: '/guide/inception' },
          { text: 'MobileNet', link: '/guide/mobilenet' },
        ],
      },
      {
        text: 'Extending',
        items: [
          { text: 'Writing a plugin', link: '/adding-a-plugin' },
          { text: 'A strategy', link: '/extending/strategy' },
          { text: 'A dataset', link: '/extending/dataset' },
          { text: 'A callback', link: '/extending/callback' },
          { text: 'A backend', link: '/extending/backend' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Recipes reference', link: '/reference/recipes' },
          { text: 'API reference', link: '/api/', items: apiItems(), collapsed: true },
          { text: 'Writing a plugin', link: '/adding-a-plugin' },
        ],
      },
    ],
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    footer: { message: 'Frugal — small data, real training.' },
  },
});
