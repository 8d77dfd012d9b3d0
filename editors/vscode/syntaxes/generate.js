#!/usr/bin/env node
// Writes mig.tmLanguage.json beside this file. TextMate grammars have no variables, and
// the name, qualified-name and type expressions recur in most rules, so they are built
// here once. Edit this file, run `node editors/vscode/syntaxes/generate.js`, commit
// both; editors/test/run.js fails while the JSON is out of date.
//
// The rules follow grammar/mig_grammar.hpp: statement words stay on one line, blocks
// and parenthesized SQL span lines, `#` is a comment except inside SQL parentheses and
// `sql { }` blocks, and SQL fragments end where the parser ends them.

const fs = require('fs');
const path = require('path');

// ---------------------------------------------------------------- regex parts
// Parts are strings (no capturing groups) or cap()/opt() values; build() numbers the
// captures so that no rule counts groups by hand.

const cap = (scope, ...parts) => ({ scope, parts });
const opt = (...parts) => ({ optional: parts });

function build(parts) {
  const captures = {};
  let count = 0;
  const render = (list) =>
    list
      .map((part) => {
        if (typeof part === 'string') return part;
        if (part.optional) return `(?:${render(part.optional)})?`;
        const index = ++count;
        const inner = render(part.parts);
        captures[index] = part.scope;
        return `(${inner})`;
      })
      .join('');
  const source = render(parts);
  return { source, captures };
}

function captureMap(captures) {
  const map = {};
  for (const [index, scope] of Object.entries(captures)) {
    map[index] = typeof scope === 'string' ? { name: scope } : scope;
  }
  return map;
}

// A `match` rule, case-insensitive like the language's keywords.
function match(parts, name, { caseSensitive = false } = {}) {
  const { source, captures } = build(parts);
  const rule = { match: (caseSensitive ? '' : '(?i)') + source };
  if (name) rule.name = name;
  if (Object.keys(captures).length) rule.captures = captureMap(captures);
  return rule;
}

// A begin/end region. `end` is a plain regex string.
function region({ begin, end, name, contentName, patterns, endCaptures, caseSensitive = false }) {
  const b = build(begin);
  const rule = { begin: (caseSensitive ? '' : '(?i)') + b.source, end };
  if (name) rule.name = name;
  if (contentName) rule.contentName = contentName;
  if (Object.keys(b.captures).length) rule.beginCaptures = captureMap(b.captures);
  if (endCaptures) rule.endCaptures = captureMap(endCaptures);
  rule.patterns = patterns;
  return rule;
}

const include = (name) => ({ include: name.startsWith('source.') ? name : `#${name}` });

// ---------------------------------------------------------------- names and types

const bareName = String.raw`(?:[A-Za-z_]|[^\x00-\x7F])(?:[A-Za-z0-9_$]|[^\x00-\x7F])*`;
const quotedName = String.raw`"(?:[^"\n]|"")+"`;
const name = `(?:${quotedName}|${bareName})`;
const word = (w) => String.raw`\b${w}\b`;

// A name in a role: quoted names keep their quotes marked inside the role's scope.
const named = (scope) => cap({ name: scope, patterns: [include('quoted-name-parts')] }, name);
const qualified = (scope) => [
  opt(named('entity.name.namespace.schema.mig'), String.raw`\s*`,
      cap('punctuation.accessor.dot.mig', String.raw`\.`), String.raw`\s*`),
  named(scope),
];

const TABLE = 'entity.name.type.table.mig';
const COLUMN = 'variable.other.column.mig';
const INDEX = 'variable.other.constant.index.mig';
const CONSTRAINT = 'variable.other.constant.constraint.mig';
const SEQUENCE = 'variable.other.constant.sequence.mig';
const STATEMENT = 'keyword.other.statement.mig';
const CLAUSE = 'keyword.other.clause.mig';
const kw = (w, scope = CLAUSE) => cap(scope, word(w));

// Words that end a type (column_constraint_start and `using`, grammar's type_stop).
const constraintWords = 'not|null|default|primary|unique|references|check|generated';
const constraintStart = `(?:${constraintWords})`;
const typeWord = String.raw`(?:${quotedName}|${bareName}(?:\.${name})*)`;
const typeExpr = String.raw`${typeWord}(?:\s*\((?:[^()]|\([^()]*\))*\)|\s*\[[^\]]*\]|\s+(?!(?:${constraintWords}|using)\b)${typeWord})*`;
// An optional constraint name is never a word that starts a constraint: in
// `primary key check (id > 0)` the check is a constraint of its own.
const notKeyword = String.raw`(?!(?:${constraintWords}|using)\b)`;
const type = cap({ name: 'storage.type.mig', patterns: [include('type-parts')] }, typeExpr);

// ---------------------------------------------------------------- SQL fragments

// SQL words that may stand before a `(` without being a function call.
const sqlKeywordsBeforeParen =
  'in|exists|any|all|some|values|not|and|or|is|over|filter|within|as|on|using|array|row|select|' +
  'from|where|when|then|else|between|like|ilike|similar|distinct|case|interval';
const SQL_LINE = 'meta.embedded.line.sql';
const SQL_BLOCK = 'meta.embedded.block.sql';
const statementEnd = String.raw`$|(?=;)`;

// A fragment that runs to the end of the line or to one of `stops` (a lookahead body).
const fragment = (keywordParts, stops, name) =>
  region({
    begin: keywordParts,
    end: String.raw`(?=[;}#]${stops ? `|${stops}` : ''})|$`,
    name,
    contentName: SQL_LINE,
    patterns: [include('sql-fragment')],
  });

const repository = {
  'comments': {
    patterns: [
      match([cap('punctuation.definition.comment.mig', '#'), '.*$'], 'comment.line.number-sign.mig'),
      match([cap('punctuation.definition.comment.mig', '--'), '.*$'], 'comment.line.double-dash.mig'),
    ],
  },
  'quoted-name-parts': {
    patterns: [
      match(
        [cap('punctuation.definition.identifier.begin.mig', '"'),
         cap({ patterns: [{ match: '""', name: 'constant.character.escape.quote.mig' }] }, '(?:[^"]|"")*'),
         cap('punctuation.definition.identifier.end.mig', '"')],
        'meta.name.quoted.mig'),
    ],
  },
  // A quoted name inside SQL: ends on its line, as in the parser.
  'quoted-name': {
    patterns: [
      region({
        begin: [cap('punctuation.definition.identifier.begin.mig', '"')],
        end: String.raw`(")(?!")|(\n)`,
        endCaptures: { 1: 'punctuation.definition.identifier.end.mig', 2: 'invalid.illegal.unclosed-name.mig' },
        name: 'meta.name.quoted.mig variable.other.quoted.mig',
        patterns: [{ match: '""', name: 'constant.character.escape.quote.mig' }],
      }),
    ],
  },
  'type-parts': {
    patterns: [
      include('quoted-name-parts'),
      { match: String.raw`\b\d+\b`, name: 'constant.numeric.integer.mig' },
      { match: String.raw`[()\[\]]`, name: 'punctuation.section.type.mig' },
    ],
  },
  'sql-comments': {
    patterns: [
      match([cap('punctuation.definition.comment.sql', '--'), '.*$'], 'comment.line.double-dash.sql'),
      include('sql-block-comment'),
    ],
  },
  // Nested, as in PostgreSQL.
  'sql-block-comment': region({
    begin: [String.raw`/\*`],
    end: String.raw`\*/`,
    name: 'comment.block.sql',
    patterns: [include('sql-block-comment')],
  }),
  'sql-strings': {
    patterns: [
      region({
        begin: [String.raw`(?<![\w$])`, cap('storage.modifier.escape.sql', '[eE]'),
                cap('punctuation.definition.string.begin.sql', "'")],
        end: "'",
        endCaptures: { 0: 'punctuation.definition.string.end.sql' },
        name: 'string.quoted.single.escape.sql',
        patterns: [{ match: String.raw`\\.|''`, name: 'constant.character.escape.sql' }],
        caseSensitive: true,
      }),
      region({
        begin: [cap('punctuation.definition.string.begin.sql', "'")],
        end: "'",
        endCaptures: { 0: 'punctuation.definition.string.end.sql' },
        name: 'string.quoted.single.sql',
        patterns: [{ match: "''", name: 'constant.character.escape.sql' }],
      }),
      // $$ ... $$ and $tag$ ... $tag$; `$1` is a parameter, not a quote.
      region({
        begin: [String.raw`(?<![\w$])`,
                cap('punctuation.definition.string.begin.sql', String.raw`\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$`)],
        end: String.raw`\1`,
        endCaptures: { 0: 'punctuation.definition.string.end.sql' },
        name: 'string.quoted.other.dollar.sql',
        patterns: [],
        caseSensitive: true,
      }),
    ],
  },
  // What mig itself balances in SQL: quotes, comments, parentheses and brackets. They come
  // before source.sql so that its own rules never decide where a fragment ends.
  'sql-fragment': {
    patterns: [
      include('sql-comments'),
      include('sql-strings'),
      include('quoted-name'),
      region({
        begin: [cap('punctuation.section.group.begin.sql', String.raw`\(`)],
        end: String.raw`\)`,
        endCaptures: { 0: 'punctuation.section.group.end.sql' },
        name: 'meta.group.sql',
        patterns: [include('sql-fragment')],
      }),
      region({
        begin: [cap('punctuation.section.brackets.begin.sql', String.raw`\[`)],
        end: String.raw`\]`,
        endCaptures: { 0: 'punctuation.section.brackets.end.sql' },
        name: 'meta.brackets.sql',
        patterns: [include('sql-fragment')],
      }),
      // source.sql matches `lower(` with its `(`, which mig balances itself.
      match([String.raw`\b(?!(?:${sqlKeywordsBeforeParen})\b)`,
             cap('entity.name.function.call.sql', String.raw`[A-Za-z_][\w$]*`), String.raw`(?=\s*\()`]),
      include('sql-operators'),
      include('source.sql'),
    ],
  },
  // source.sql reads `/.../` as a regular expression that may run past the end of a
  // fragment or a block; in PostgreSQL `/` is division.
  'sql-operators': { patterns: [{ match: String.raw`/(?!\*)`, name: 'keyword.operator.math.sql' }] },
  // The body of `sql { }` and `down { }`: braces balance, nothing else needs to.
  'sql-block-body': {
    patterns: [
      include('sql-comments'),
      include('sql-strings'),
      include('quoted-name'),
      region({
        begin: [cap('punctuation.section.braces.begin.sql', String.raw`\{`)],
        end: String.raw`\}`,
        endCaptures: { 0: 'punctuation.section.braces.end.sql' },
        patterns: [include('sql-block-body')],
      }),
      // Unbalanced brackets are not mig's business here; source.sql would open a region.
      { match: String.raw`[\[\]]`, name: 'punctuation.section.brackets.sql' },
      include('sql-operators'),
      include('source.sql'),
    ],
  },

  // ------------------------------------------------------------ columns and constraints

  'column-list': region({
    begin: [cap('punctuation.section.group.begin.mig', String.raw`\(`)],
    end: String.raw`\)`,
    endCaptures: { 0: 'punctuation.section.group.end.mig' },
    name: 'meta.column-list.mig',
    patterns: [
      include('comments'),
      match([named(COLUMN)]),
      { match: ',', name: 'punctuation.separator.comma.mig' },
    ],
  }),
  'default': fragment([kw('default')], String.raw`,|\b${constraintStart}\b`, 'meta.default.mig'),
  'check': region({
    begin: [kw('check'), opt(String.raw`\s+`, notKeyword, named(CONSTRAINT)), String.raw`\s*`,
            cap('punctuation.section.group.begin.sql', String.raw`\(`)],
    end: String.raw`\)`,
    endCaptures: { 0: 'punctuation.section.group.end.sql' },
    name: 'meta.check.mig',
    contentName: SQL_LINE,
    patterns: [include('sql-fragment')],
  }),
  // primary key / unique / foreign key, with an optional constraint name before the
  // column list or `using index`.
  'constraint-heads': {
    patterns: [
      match([kw('primary'), String.raw`\s+`, kw('key'),
             opt(String.raw`\s+`, notKeyword, named(CONSTRAINT), String.raw`(?=\s*(?:\(|using\b))`)]),
      match([kw('unique'),
             opt(String.raw`\s+`, notKeyword, named(CONSTRAINT), String.raw`(?=\s*(?:\(|using\b))`)]),
      match([kw('exclude'),
             opt(String.raw`\s+`, notKeyword, named(CONSTRAINT), String.raw`(?=\s*(?:\(|using\b))`)]),
      match([kw('foreign'), String.raw`\s+`, kw('key'),
             opt(String.raw`\s+`, notKeyword, named(CONSTRAINT), String.raw`(?=\s*\()`)]),
      match([kw('using'), String.raw`\s+`, kw('index'), String.raw`\s+`, ...qualified(INDEX)]),
      match([kw('references'), String.raw`\s+`, ...qualified(TABLE)]),
      match([kw('on'), String.raw`\s+`, cap(CLAUSE, '(?:delete|update)'), String.raw`\s+`,
             cap(CLAUSE, String.raw`(?:no\s+action|restrict|cascade|set\s+null|set\s+default)\b`)]),
      match([kw('generated'), String.raw`\s+`, cap(CLAUSE, String.raw`(?:always|by\s+default)\b`),
             String.raw`\s+`, kw('as'), String.raw`\s+`, kw('identity')]),
      include('check'),
      include('column-list'),
    ],
  },
  'column-constraints': {
    patterns: [
      include('comments'),
      include('constraint-heads'),
      include('default'),
      match([kw('not'), String.raw`\s+`, kw('null')]),
      match([kw('null')]),
    ],
  },
  'column-def': region({
    begin: [String.raw`(?:^|(?<=[{;,]))\s*(?!(?:primary|unique|check|foreign|exclude)\b)`, named(COLUMN),
            opt(String.raw`\s+`, type)],
    end: String.raw`(?=[,;}])|$`,
    name: 'meta.column.mig',
    patterns: [include('column-constraints')],
  }),
  'table-body': region({
    begin: [cap('punctuation.section.block.begin.mig', String.raw`\{`)],
    end: String.raw`\}`,
    endCaptures: { 0: 'punctuation.section.block.end.mig' },
    name: 'meta.block.table.mig',
    patterns: [
      include('comments'),
      { match: '[;,]', name: 'punctuation.separator.element.mig' },
      include('constraint-heads'),
      include('column-def'),
    ],
  }),

  // `partition by`, `partition of` and `attach|detach partition`, with their bounds.
  'partitioning': {
    patterns: [
      match([kw('partition'), String.raw`\s+`, kw('by'), String.raw`\s+`,
             cap(CLAUSE, String.raw`\b(?:range|list|hash)\b`)]),
      match([kw('partition'), String.raw`\s+`, kw('of'), String.raw`\s+`, ...qualified(TABLE),
             opt(String.raw`\s+`, kw('default'))]),
      match([cap(CLAUSE, String.raw`\b(?:attach|detach)\b`), String.raw`\s+`, kw('partition'),
             String.raw`\s+`, ...qualified(TABLE),
             opt(String.raw`\s+`, cap(CLAUSE, String.raw`\b(?:concurrently|finalize|default)\b`))]),
      region({
        begin: [kw('for'), String.raw`\s+`, kw('values')],
        end: String.raw`(?=[;}])|$`,
        name: 'meta.partition-bound.mig',
        patterns: [match([cap(CLAUSE, String.raw`\b(?:from|to|in|with|modulus|remainder)\b`)])],
      }),
    ],
  },

  // ------------------------------------------------------------ alter table actions

  'alter-actions': {
    patterns: [
      include('comments'),
      region({
        begin: [kw('add'), String.raw`\s+`, kw('column'), String.raw`\s+`, named(COLUMN),
                opt(String.raw`\s+`, type)],
        end: String.raw`(?=[,;}])|$`,
        name: 'meta.column.mig',
        patterns: [include('column-constraints')],
      }),
      match([kw('drop'), String.raw`\s+`, kw('column'), String.raw`\s+`, named(COLUMN)]),
      match([kw('drop'), String.raw`\s+`, kw('constraint'), String.raw`\s+`, named(CONSTRAINT)]),
      match([kw('validate'), String.raw`\s+`, kw('constraint'), String.raw`\s+`, named(CONSTRAINT)]),
      match([kw('rename'), String.raw`\s+`, kw('column'), String.raw`\s+`, named(COLUMN),
             String.raw`\s+`, kw('to'), String.raw`\s+`, named(COLUMN)]),
      match([kw('alter'), String.raw`\s+`, kw('column'), String.raw`\s+`, named(COLUMN)]),
      match([opt(kw('set'), String.raw`\s+`, kw('data'), String.raw`\s+`), kw('type'),
             String.raw`\s+`, type]),
      match([cap(CLAUSE, String.raw`\b(?:set|drop)\b`), String.raw`\s+`, kw('not'), String.raw`\s+`, kw('null')]),
      match([kw('drop'), String.raw`\s+`, kw('default')]),
      match([kw('drop'), String.raw`\s+`, kw('identity')]),
      match([kw('set'), String.raw`\s+`, cap(CLAUSE, String.raw`\b(?:logged|unlogged)\b`)]),
      match([kw('set'), String.raw`\s+`, kw('schema'), String.raw`\s+`, named('entity.name.namespace.schema.mig')]),
      include('partitioning'),
      match([kw('not'), String.raw`\s+`, kw('valid')]),
      include('constraint-heads'),
      fragment([kw('using')], null, 'meta.using.mig'),
      include('default'),
      match([cap(CLAUSE, String.raw`\b(?:add|set)\b`)]),
    ],
  },
  'alter-body': region({
    begin: [cap('punctuation.section.block.begin.mig', String.raw`\{`)],
    end: String.raw`\}`,
    endCaptures: { 0: 'punctuation.section.block.end.mig' },
    name: 'meta.block.alter.mig',
    patterns: [
      { match: '[;,]', name: 'punctuation.separator.element.mig' },
      include('alter-actions'),
    ],
  }),

  // ------------------------------------------------------------ statements

  'annotation': region({
    begin: [cap('punctuation.definition.annotation.mig', '@'),
            cap('storage.type.annotation.mig', String.raw`(?i:allow)\b`), String.raw`\s*`,
            cap('punctuation.section.parens.begin.mig', String.raw`\(`), String.raw`\s*`],
    end: String.raw`(\))|$`,
    endCaptures: { 1: 'punctuation.section.parens.end.mig' },
    name: 'meta.annotation.mig',
    caseSensitive: true,
    patterns: [
      { match: String.raw`\G[a-z0-9-]+`, name: 'entity.name.tag.rule.mig' },
      { match: ',', name: 'punctuation.separator.comma.mig' },
      region({
        begin: [cap('punctuation.definition.string.begin.mig', '"')],
        end: String.raw`(")(?!")|(\n)`,
        endCaptures: { 1: 'punctuation.definition.string.end.mig', 2: 'invalid.illegal.unclosed-reason.mig' },
        name: 'string.quoted.double.reason.mig',
        patterns: [{ match: '""', name: 'constant.character.escape.quote.mig' }],
      }),
    ],
  }),
  'create-table': region({
    begin: [kw('create', STATEMENT), String.raw`\s+`, opt(kw('unlogged'), String.raw`\s+`), kw('table', STATEMENT), String.raw`\s+`, ...qualified(TABLE)],
    end: statementEnd,
    name: 'meta.statement.create-table.mig',
    patterns: [include('comments'), include('table-body'), include('partitioning')],
  }),
  'create-index': region({
    begin: [kw('create', STATEMENT), String.raw`\s+`, opt(kw('unique'), String.raw`\s+`),
            kw('index', STATEMENT), opt(String.raw`\s+`, kw('concurrently')),
            opt(String.raw`\s+`, kw('if'), String.raw`\s+`, kw('not'), String.raw`\s+`, kw('exists')),
            opt(String.raw`\s+(?!on\b)`, ...qualified(INDEX)),
            opt(String.raw`\s+`, kw('on'), String.raw`\s+`, ...qualified(TABLE)),
            opt(String.raw`\s+`, kw('using'), String.raw`\s+`, named('support.constant.index-method.mig'))],
    end: statementEnd,
    name: 'meta.statement.create-index.mig',
    patterns: [
      include('comments'),
      region({
        begin: [cap('punctuation.section.group.begin.mig', String.raw`\(`)],
        end: String.raw`\)`,
        endCaptures: { 0: 'punctuation.section.group.end.mig' },
        name: 'meta.index-keys.mig',
        contentName: SQL_LINE,
        patterns: [include('sql-fragment')],
      }),
      fragment([kw('where')], null, 'meta.where.mig'),
    ],
  }),
  'drop-index': match([kw('drop', STATEMENT), String.raw`\s+`, kw('index', STATEMENT),
                       opt(String.raw`\s+`, kw('concurrently')),
                       opt(String.raw`\s+`, kw('if'), String.raw`\s+`, kw('exists')),
                       String.raw`\s+`, ...qualified(INDEX)], 'meta.statement.drop-index.mig'),
  'drop-table': match([kw('drop', STATEMENT), String.raw`\s+`, kw('table', STATEMENT), String.raw`\s+`,
                       ...qualified(TABLE)], 'meta.statement.drop-table.mig'),
  'rename-table': match([kw('rename', STATEMENT), String.raw`\s+`, kw('table', STATEMENT), String.raw`\s+`,
                         ...qualified(TABLE), opt(String.raw`\s+`, kw('to'), String.raw`\s+`, ...qualified(TABLE))],
                        'meta.statement.rename-table.mig'),
  'alter-table': region({
    begin: [kw('alter', STATEMENT), String.raw`\s+`, kw('table', STATEMENT), String.raw`\s+`, ...qualified(TABLE)],
    end: statementEnd,
    name: 'meta.statement.alter-table.mig',
    patterns: [include('alter-body'), include('alter-actions')],
  }),
  // `sql { } down { }`; `down { }` may also start on a later line.
  'sql-block': {
    patterns: ['sql', 'down'].map((w) =>
      region({
        begin: [kw(w, STATEMENT), String.raw`\s*`, cap('punctuation.section.block.begin.mig', String.raw`\{`)],
        end: String.raw`\}`,
        endCaptures: { 0: 'punctuation.section.block.end.mig' },
        name: `meta.statement.${w}-block.mig`,
        contentName: SQL_BLOCK,
        patterns: [include('sql-block-body')],
      })),
  },
  'batched-where': fragment([kw('where')], String.raw`\bbatch\b`, 'meta.where.mig'),
  'batch': match([kw('batch'), String.raw`\s+`, cap('constant.numeric.integer.mig', String.raw`\d+\b`)]),
  'backfill': region({
    begin: [kw('backfill', STATEMENT), String.raw`\s+`, ...qualified(TABLE), opt(String.raw`\s+`, kw('set'))],
    end: statementEnd,
    name: 'meta.statement.backfill.mig',
    patterns: [
      include('comments'),
      include('batched-where'),
      include('batch'),
      { match: ',', name: 'punctuation.separator.comma.mig' },
      fragment([named(COLUMN), String.raw`\s*`, cap('keyword.operator.assignment.mig', '=')],
               String.raw`,|\b(?:where|batch)\b`, 'meta.set.mig'),
    ],
  }),
  'delete-from': region({
    begin: [kw('delete', STATEMENT), String.raw`\s+`, kw('from', STATEMENT), String.raw`\s+`, ...qualified(TABLE)],
    end: statementEnd,
    name: 'meta.statement.delete.mig',
    patterns: [include('comments'), include('batched-where'), include('batch')],
  }),
  // create / alter / drop sequence NAME with its options.
  'sequence': region({
    begin: [cap(STATEMENT, String.raw`\b(?:create|alter|drop)\b`), String.raw`\s+`, kw('sequence', STATEMENT),
            String.raw`\s+`, ...qualified(SEQUENCE)],
    end: statementEnd,
    name: 'meta.statement.sequence.mig',
    patterns: [
      include('comments'),
      match([kw('owned'), String.raw`\s+`, kw('by'), String.raw`\s+`,
             opt(named(TABLE), String.raw`\s*`, cap('punctuation.accessor.dot.mig', String.raw`\.`), String.raw`\s*`),
             named(COLUMN)]),
      match([cap(CLAUSE, String.raw`\b(?:as|increment|by|minvalue|maxvalue|no|start|with|cache|cycle|owned|none|restart)\b`)]),
      match([cap('constant.numeric.integer.mig', String.raw`[-+]?\d+\b`)]),
      { match: name, name: 'storage.type.mig' },
    ],
  }),
  // Statement words outside a complete statement, so a half-typed line still reads.
  'keywords': {
    patterns: [
      match([cap(STATEMENT, String.raw`\b(?:create|alter|drop|rename|table|index|backfill|delete|from|sql|down|or|replace|function|trigger|view|schema|extension|type|comment|policy|grant|revoke|sequence|materialized|refresh|reindex)\b`)]),
    ],
  },
};

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'mig',
  scopeName: 'source.mig',
  fileTypes: ['mig'],
  comment: 'Generated by generate.js from the rules of grammar/mig_grammar.hpp; do not edit by hand.',
  patterns: [
    include('comments'),
    include('annotation'),
    include('create-table'),
    include('create-index'),
    include('alter-table'),
    include('drop-index'),
    include('drop-table'),
    include('rename-table'),
    include('sql-block'),
    include('backfill'),
    include('delete-from'),
    include('sequence'),
    include('keywords'),
    { match: ';', name: 'punctuation.terminator.statement.mig' },
  ],
  repository,
};

const out = path.join(__dirname, 'mig.tmLanguage.json');
const text = JSON.stringify(grammar, null, 2) + '\n';
if (process.argv.includes('--check')) {
  if (fs.readFileSync(out, 'utf8') !== text) {
    console.error(`${out} is out of date: run node ${path.relative(process.cwd(), __filename)}`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(out, text);
}
