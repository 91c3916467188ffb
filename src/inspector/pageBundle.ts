import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The page's assets, built in memory. */
export interface PageBundle {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

/**
 * Returns the page bundled by esbuild (TypeScript, uPlot and CSS in one JS and one CSS file,
 * minified). Built at server start, in memory, because a fresh clone must serve the page
 * after `npm ci` with no build step and nothing generated lands in git.
 */
export async function buildPageBundle(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [`${PAGE_DIR}main.ts`],
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['chrome110', 'firefox110', 'safari16'],
    write: false,
    outdir: '/inspector-assets',
    entryNames: 'inspector',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  const html = await readFile(`${PAGE_DIR}index.html`, 'utf8');
  return { html, js, css };
}

let cached: Promise<PageBundle> | undefined;

/** Returns the bundle, built once per process: every server started in it shares the result. */
export function pageBundle(): Promise<PageBundle> {
  cached ??= buildPageBundle().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
