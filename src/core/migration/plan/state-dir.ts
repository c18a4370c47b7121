/** Where kubesup-tui keeps what it knows of a node: journal, backups, lock, progress log. Root's only. */
export const STATE_DIR = '/var/lib/kubesup-tui';
