" Vim syntax file
" Language: mig, PostgreSQL schema migrations (.mig)
" The rules follow grammar/mig_grammar.hpp: `#` and `--` start comments, except inside
" SQL parentheses and `sql { }` blocks, where `#` is SQL; the bodies of `sql { }` and
" `down { }` are highlighted with Vim's own SQL syntax.

if exists('b:current_syntax')
  finish
endif

syn include @migSql syntax/sql.vim
unlet! b:current_syntax
" sqloracle's fold region runs to a `;` at a line end and would swallow the closing `}`.
silent! syn clear sqlFold
syn case ignore

" Names: bare, or quoted with `""` for a quote; quoted names end on their line.
syn region migQuotedName start=/"/ skip=/""/ end=/"/ end=/$/ oneline
let s:name = '\%("\%([^"]\|""\)\+"\|\h[[:alnum:]_$]*\)'
execute 'syn match migTable contained /\%(\%(delete\|update\)\>\)\@!' . s:name
      \ . '\%(\s*\.\s*' . s:name . '\)\=/'

" Statement and clause words. `sql` and `down` open blocks below, so they are not keywords.
syn keyword migStatement create alter drop rename index delete replace function trigger view
syn keyword migStatement schema extension comment policy grant revoke sequence materialized refresh reindex
syn keyword migTableWord table nextgroup=migTable skipwhite
syn keyword migTableWord backfill from references on nextgroup=migTable skipwhite
syn keyword migKeyword action add always as batch by cascade check column concurrently
syn keyword migKeyword constraint data default exists foreign generated identity if key
syn keyword migKeyword no not null primary restrict set to type unique update using valid
syn keyword migKeyword validate where enum value before after is returns language execute each row
syn keyword migKeyword enable disable force level security privileges deferrable initially deferred immediate stored include nulls distinct with unlogged
syn keyword migKeyword increment minvalue maxvalue start cache cycle owned none restart
syn keyword migKeyword partition attach detach of for values range list hash modulus remainder finalize
syn keyword migKeyword logged exclude

" The type of a column: after the column name at the start of a line in a table body,
" after `add column NAME`, after `type`.
let s:type = '\h[[:alnum:]_$.]*\%(\s*([^)]*)\)\=\%(\s*\[\d*\]\)*'
      \ . '\%(\s\+\%(\%(not\|null\|default\|primary\|unique\|references\|check\|generated\|using\)\>\)\@!'
      \ . '\h[[:alnum:]_$.]*\%(\s*([^)]*)\)\=\%(\s*\[\d*\]\)*\)*'
let s:notStatement = '\%(\%(primary\|unique\|check\|foreign\|alter\|add\|drop\|rename\|validate\|'
      \ . 'create\|backfill\|delete\|sql\|down\|table\|index\|from\|set\)\>\)\@!'
" Look-behinds, not \zs: a quoted column name or the keyword `type` is an item of its own,
" and Vim looks for the type only after it.
execute 'syn match migType /\%(^\s*' . s:notStatement . s:name . '\s\+\)\@<=' . s:notStatement . s:type . '/'
execute 'syn match migType /\%(\<column\s\+' . s:name . '\s\+\)\@<=' . s:notStatement . s:type . '/'
execute 'syn match migType /\%(\<type\s\+\)\@<=' . s:type . '/'

syn match migNumber /\<\d\+\%(\.\d\+\)\=\>/

syn match migComment /#.*$/ contains=@Spell
syn match migComment /--.*$/ contains=@Spell

" @allow(rule-id, "reason")
syn match migAnnotation /@allow\>/ nextgroup=migAnnotationArgs skipwhite
syn region migAnnotationArgs contained start=/(/ end=/)/ end=/$/ oneline
      \ contains=migRuleId,migReason
syn match migRuleId contained /(\@<=\s*[a-z0-9-]\+/
syn region migReason contained start=/"/ skip=/""/ end=/"/ end=/$/ oneline

" SQL: strings, dollar quotes, comments (nested), parentheses.
syn cluster migSqlParts contains=migString,migEscapeString,migDollarString,migQuotedName,
      \migSqlComment,migSqlBlockComment
syn region migString start=/'/ skip=/''/ end=/'/
syn region migEscapeString start=/\<[eE]'/ skip=/\\.\|''/ end=/'/
syn region migDollarString start=/\z(\$\%(\h\w*\)\=\$\)/ end=/\z1/
syn match migSqlComment contained /--.*$/
syn region migSqlBlockComment start=+/\*+ end=+\*/+ contains=migSqlBlockComment
syn region migParen transparent start=/(/ end=/)/ contains=migParen,migNumber,@migSqlParts,@migSql

syn region migSqlBlock matchgroup=migStatement start=/\<\%(sql\|down\)\s*{/ end=/}/
      \ contains=migSqlBraces,@migSqlParts,@migSql
syn region migSqlBraces contained transparent start=/{/ end=/}/
      \ contains=migSqlBraces,@migSqlParts,@migSql

syn sync fromstart

hi def link migStatement Statement
hi def link migTableWord Statement
hi def link migKeyword Keyword
hi def link migTable Identifier
hi def link migQuotedName Identifier
hi def link migType Type
hi def link migNumber Number
hi def link migComment Comment
hi def link migSqlComment Comment
hi def link migSqlBlockComment Comment
hi def link migAnnotation PreProc
hi def link migRuleId Label
hi def link migReason String
hi def link migString String
hi def link migEscapeString String
hi def link migDollarString String

let b:current_syntax = 'mig'
