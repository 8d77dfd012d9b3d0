" Loads editors/vim on sample files and checks the highlight group at chosen text:
" [file, line, text, group]; `!group` means any other group. Run by vim_syntax.sh.
set nocompatible
let s:editors = fnamemodify(expand('<sfile>:p'), ':h:h')
let s:repo = fnamemodify(s:editors, ':h')
let &runtimepath = s:editors . '/vim,' . &runtimepath
filetype on
syntax on

let s:expectations = [
      \ ['editors/test/samples/0001_tables.mig', 1, '# Samples', 'migComment'],
      \ ['editors/test/samples/0001_tables.mig', 3, 'create', 'sqlStatement'],
      \ ['editors/test/samples/0001_tables.mig', 3, 'sql {', 'migStatement'],
      \ ['editors/test/samples/0001_tables.mig', 5, '-- a comment', 'migComment'],
      \ ['editors/test/samples/0001_tables.mig', 6, 'create', 'migStatement'],
      \ ['editors/test/samples/0001_tables.mig', 6, 'auth."Accounts"', 'migTable'],
      \ ['editors/test/samples/0001_tables.mig', 7, 'bigint', 'migType'],
      \ ['editors/test/samples/0001_tables.mig', 7, 'primary', 'migKeyword'],
      \ ['editors/test/samples/0001_tables.mig', 8, '"e-mail"', 'migQuotedName'],
      \ ['editors/test/samples/0001_tables.mig', 8, 'varchar(320)', 'migType'],
      \ ['editors/test/samples/0001_tables.mig', 9, 'numeric(12, 2)', 'migType'],
      \ ['editors/test/samples/0001_tables.mig', 10, "E'it\\'s'", 'migEscapeString'],
      \ ['editors/test/samples/0001_tables.mig', 11, 'timestamp with time zone', 'migType'],
      \ ['editors/test/samples/0001_tables.mig', 13, "'2000-01-01'", 'migString'],
      \ ['editors/test/samples/0001_tables.mig', 13, '/* a /* nested */ comment */', 'migSqlBlockComment'],
      \ ['editors/test/samples/0001_tables.mig', 22, 'auth."Accounts"', 'migTable'],
      \ ['editors/test/samples/0001_tables.mig', 22, 'delete', '!migTable'],
      \ ['editors/test/samples/0002_changes.mig', 1, '@allow', 'migAnnotation'],
      \ ['editors/test/samples/0002_changes.mig', 1, 'locking-index', 'migRuleId'],
      \ ['editors/test/samples/0002_changes.mig', 1, '"memberships is created in 0001 and still ""empty"""', 'migReason'],
      \ ['editors/test/samples/0002_changes.mig', 3, "''", 'migString'],
      \ ['editors/test/samples/0002_changes.mig', 3, '# a comment', 'migComment'],
      \ ['editors/test/samples/0002_changes.mig', 5, 'varchar(200)', 'migType'],
      \ ['editors/test/samples/0002_changes.mig', 21, 'range', 'migKeyword'],
      \ ['editors/test/samples/0002_changes.mig', 22, 'of', 'migKeyword'],
      \ ['editors/test/samples/0002_changes.mig', 22, 'values', 'migKeyword'],
      \ ['editors/test/samples/0002_changes.mig', 23, 'detach', 'migKeyword'],
      \ ['editors/test/samples/0002_changes.mig', 28, 'exclude', 'migKeyword'],
      \ ['editors/test/samples/0002_changes.mig', 30, 'unlogged', 'migKeyword'],
      \ ['editors/test/samples/0003_data.mig', 3, '$body$', 'migDollarString'],
      \ ['editors/test/samples/0003_data.mig', 5, "'}' || $$ } $$;", 'migDollarString'],
      \ ['editors/test/samples/0003_data.mig', 9, "'{'", 'migString'],
      \ ['editors/test/samples/0003_data.mig', 9, '# 2', '!migComment'],
      \ ['editors/test/samples/0003_data.mig', 10, '}', 'migStatement'],
      \ ['editors/test/samples/0003_data.mig', 12, 'down {', 'migStatement'],
      \ ['editors/test/samples/0003_data.mig', 15, 'backfill', 'migTableWord'],
      \ ['editors/test/samples/0003_data.mig', 15, 'users', 'migTable'],
      \ ['editors/test/samples/0003_data.mig', 15, '500', 'migNumber'],
      \ ]

let s:failures = []
for [s:file, s:line, s:text, s:group] in s:expectations
  if expand('%:p') !=# s:repo . '/' . s:file
    execute 'silent edit ' . fnameescape(s:repo . '/' . s:file)
  endif
  if &filetype !=# 'mig'
    call add(s:failures, s:file . ': filetype is `' . &filetype . '`, not mig')
    continue
  endif
  let s:start = stridx(getline(s:line), s:text)
  if s:start < 0
    call add(s:failures, printf('%s:%d: `%s` is not on the line', s:file, s:line, s:text))
    continue
  endif
  let s:negated = s:group[0] ==# '!'
  let s:wanted = s:negated ? s:group[1:] : s:group
  for s:col in range(s:start + 1, s:start + len(s:text))
    if getline(s:line)[s:col - 1] =~# '\s'
      continue
    endif
    let s:got = synIDattr(synID(s:line, s:col, 1), 'name')
    if (s:got ==# s:wanted) == s:negated
      call add(s:failures, printf('%s:%d:%d: `%s` is in `%s`, expected %s', s:file, s:line, s:col,
            \ s:text, s:got, s:group))
      break
    endif
  endfor
endfor

call writefile(s:failures + [printf('%d of %d expectations hold', len(s:expectations) - len(s:failures),
      \ len(s:expectations))], $MIG_VIM_RESULT)
if empty(s:failures)
  qall!
endif
cquit!
