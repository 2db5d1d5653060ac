import type { Plugin } from 'vite';

/**
 * Adds `<link rel="modulepreload">` to index.html for a chunk the entry loads with `import()`,
 * and for the chunks it imports. The renderer's entry is a small boot chunk that starts the graph
 * request and then imports the app; without this the app's download would wait for the boot chunk
 * to run, instead of starting with it.
 */
export function preloadDynamicEntry(sourceSuffix: string): Plugin {
  return {
    name: 'wg:preload-dynamic-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_, context) {
        const chunks = Object.values(context.bundle ?? {}).flatMap((output) => (output.type === 'chunk' ? [output] : []));
        const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
        const entry = chunks.find((chunk) => chunk.isDynamicEntry && chunk.facadeModuleId?.endsWith(sourceSuffix));
        if (!entry) throw new Error(`preloadDynamicEntry: no dynamic chunk for ${sourceSuffix}`);
        const files = new Set<string>();
        const visit = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          for (const imported of byFile.get(file)?.imports ?? []) visit(imported);
        };
        visit(entry.fileName);
        // The boot chunk is already a <script>; its shared modules need no second link.
        for (const chunk of chunks) if (chunk.isEntry) files.delete(chunk.fileName);
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}
