// Ink imports react-devtools-core only when DEV=true. Bundled as an empty module: marking it external
// made the bundle crash at start, and kubesup-tui never connects to React DevTools on a node.
export default { initialize() {}, connectToDevTools() {} };
