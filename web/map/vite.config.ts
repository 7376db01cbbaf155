// Builds the page into the Python package (service/static/map, git-ignored), which serves it at /map.
// `npm run build -- --outDir DIR` builds elsewhere (the Dockerfile's Node stage does).
import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: the page works wherever the service mounts it (/map/, or behind a prefix).
  base: "./",
  build: {
    outDir: "../../service/static/map",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // cytoscape and fcose are one ~0.6 MB chunk; the page is useless without them anyway.
    chunkSizeWarningLimit: 1024,
  },
});
