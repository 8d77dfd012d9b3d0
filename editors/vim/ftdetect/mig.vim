" .mig schema migrations (see editors/README.md)
autocmd BufRead,BufNewFile *.mig setfiletype mig
