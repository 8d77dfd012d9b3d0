#!/usr/bin/env node
// Tokenizes .mig files with the VS Code grammar (editors/vscode) and checks the scopes:
// expected scopes at chosen tokens of samples/ and of the repository's migrations and
// examples, and that no line of any .mig file in the repository ends inside a scope that
// cannot span lines (a string, a quoted name, an annotation) or ends the file inside
// one at all. source.sql, which the grammar embeds, is VS Code's own SQL grammar.
//
// Setup: `npm ci` in editors/test (scripts/test.sh does it).

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const here = __dirname;
const repo = path.resolve(here, '../..');
const extension = path.join(repo, 'editors/vscode');

function requireInstalled(name) {
  try {
    return require(name);
  } catch (e) {
    console.error(`editors/test: cannot load \`${name}\` (${e.code}); run \`npm ci\` in editors/test first`);
    process.exit(1);
  }
}
const textmate = requireInstalled('vscode-textmate');
const oniguruma = requireInstalled('vscode-oniguruma');

const failures = [];
const fail = (message) => failures.push(message);

// ---------------------------------------------------------------- the extension itself

const manifest = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
const contributedGrammar = manifest.contributes.grammars.find((g) => g.language === 'mig');
const grammarPath = path.join(extension, contributedGrammar.path);
JSON.parse(fs.readFileSync(path.join(extension, manifest.contributes.languages[0].configuration), 'utf8'));
try {
  execFileSync(process.execPath, [path.join(extension, 'syntaxes/generate.js'), '--check'], { stdio: 'pipe' });
} catch (e) {
  fail(e.stderr.toString().trim());
}

// ---------------------------------------------------------------- tokenizer

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files = {
    'source.mig': grammarPath,
    'source.sql': require.resolve('tm-grammars/grammars/sql.json'),
  };
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];
      if (!file) return null;
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('source.mig');
}

// Lines of tokens, and the scopes still open after each line (the scopes an empty next
// line would be given).
function tokenize(grammar, text) {
  const lines = text.replace(/\n$/, '').split('\n');
  let state = textmate.INITIAL;
  return lines.map((line) => {
    const result = grammar.tokenizeLine(line, state, 10000);
    if (result.stoppedEarly) fail(`tokenizing stopped early on: ${line}`);
    state = result.ruleStack;
    const openAfter = grammar.tokenizeLine('', state).tokens[0].scopes;
    return { text: line, tokens: result.tokens, openAfter };
  });
}

// ---------------------------------------------------------------- scopes left open

// The innermost scope at the end of a line must be one that spans lines.
const multiLine = new Set([
  'source.mig',
  'meta.block.table.mig', 'meta.block.alter.mig',
  'meta.statement.sql-block.mig', 'meta.statement.down-block.mig',
  'meta.group.sql', 'meta.brackets.sql', 'meta.column-list.mig', 'meta.check.mig',
  'meta.index-keys.mig', 'comment.block.sql', 'string.quoted.other.dollar.sql',
]);
function innermost(scopes) {
  return [...scopes].reverse().find((s) => !s.startsWith('meta.embedded.'));
}
function checkLineEnds(file, lines) {
  lines.forEach((line, i) => {
    const inner = innermost(line.openAfter);
    if (!multiLine.has(inner)) fail(`${file}:${i + 1}: the line ends inside \`${inner}\`: ${line.text}`);
  });
  const last = lines[lines.length - 1].openAfter;
  if (last.length !== 1) fail(`${file}: the file ends inside ${last.slice(1).join(' > ')}`);
}

// ---------------------------------------------------------------- expectations

// expect(LINE, TEXT, SCOPE): every character of the first TEXT on line LINE (1-based)
// has SCOPE among its scopes (blanks inside TEXT aside); `!SCOPE` says it must not. {nth: N} picks a later
// occurrence of TEXT on the line.
function checkExpectations(file, lines, expectations) {
  for (const [lineNumber, needle, wanted, options = {}] of expectations) {
    const line = lines[lineNumber - 1];
    const where = `${file}:${lineNumber}: \`${needle}\``;
    if (!line) { fail(`${where}: no such line`); continue; }
    let start = -1;
    for (let n = 0; n <= (options.nth || 0); ++n) start = line.text.indexOf(needle, start + 1);
    if (start < 0) { fail(`${where}: not on the line: ${line.text}`); continue; }
    const negated = wanted.startsWith('!');
    const scope = negated ? wanted.slice(1) : wanted;
    for (const token of line.tokens) {
      if (token.endIndex <= start || token.startIndex >= start + needle.length) continue;
      const has = token.scopes.some((s) => s === scope || s.startsWith(scope + '.'));
      const text = line.text.slice(token.startIndex, token.endIndex);
      // The blanks between the words of `not null` need no keyword scope.
      if (!negated && !has && text.trim() === '' && needle.trim() !== '') continue;
      if (has === negated) {
        fail(`${where}: \`${text}\` ${negated ? 'has' : 'lacks'} ${scope}; its scopes: ${token.scopes.join(' ')}`);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------- files

// The repository's .mig files: those git tracks or would track (generated benchmark
// output is ignored); every file below `dir` outside a git checkout.
function migFiles(dir) {
  try {
    const listed = require('child_process').execFileSync(
      'git', ['-C', dir, 'ls-files', '--cached', '--others', '--exclude-standard', '*.mig'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return listed.split('\n').filter(Boolean).map((f) => path.join(dir, f)).sort();
  } catch {
    return walkedMigFiles(dir);
  }
}

function walkedMigFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', '.git'].includes(entry.name) && !entry.name.startsWith('build')) walk(full);
      } else if (entry.name.endsWith('.mig')) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found.sort();
}

const expectations = require('./expectations');

async function main() {
  const grammar = await loadGrammar();
  const all = migFiles(repo);
  const required = ['migrations', 'examples', 'editors/test/samples'];
  for (const dir of required) {
    if (!all.some((f) => f.startsWith(path.join(repo, dir) + path.sep))) fail(`no .mig file found under ${dir}/`);
  }
  let lineCount = 0;
  for (const file of all) {
    const relative = path.relative(repo, file);
    const lines = tokenize(grammar, fs.readFileSync(file, 'utf8'));
    lineCount += lines.length;
    // Golden cases named fail_* hold deliberately broken files; their expectations say
    // how the break shows.
    if (!relative.split(path.sep).some((part) => part.startsWith('fail_'))) checkLineEnds(relative, lines);
    if (expectations[relative]) checkExpectations(relative, lines, expectations[relative]);
  }
  for (const file of Object.keys(expectations)) {
    if (!all.includes(path.join(repo, file))) fail(`${file}: has expectations but does not exist`);
  }
  const checked = Object.values(expectations).reduce((n, list) => n + list.length, 0);
  if (failures.length) {
    console.error(failures.join('\n'));
    console.error(`\n${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log(`editors: ${all.length} .mig files (${lineCount} lines) tokenized, ${checked} scope expectations hold`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
