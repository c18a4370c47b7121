#!/usr/bin/env node
// kubesup-tui's command: dist/cli.js checks the Node.js version before it loads anything else.
await import('../dist/cli.js');
