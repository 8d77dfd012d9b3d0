#pragma once

// The .mig language as PEGTL rules. grammar/README.md is the readable reference; its
// production names are these struct names. Only compiler/parse/parser.cpp and the formatter
// (compiler/format/formatter.cpp) include this, with its error control, mig_control.hpp.
// The formatter lower-cases every MIG_KEYWORD rule and re-spaces `_`, `space_or_newline`,
// `layout`, `statement_end` and `element_end`: keep words and the space between them in
// these rules, and a new statement is formatted with no code of its own.
//
// Layout: statements (and the elements of `{ }` blocks) end at a newline, `;` or `,`
// (in blocks); inside parentheses, brackets and `sql { }` blocks newlines are free. A
// statement or element goes on over every next line indented deeper than the column it
// starts at (`continuation`).
// A rule with a static `expected` text is reported as "expected <text>" when a `must<>`
// fails on it.

#include <fmt/format.h>

#include <cctype>
#include <string_view>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace mig::grammar {

using namespace tao::pegtl;

// ---------------------------------------------------------------- lexical

// `--` comments the language as in SQL; `#` is the language's own (inside `sql { }` and
// parentheses `#` is SQL, an operator).
struct comment : seq<sor<one<'#'>, two<'-'>>, until<at<eolf>>> {};
struct blank : sor<one<' ', '\t', '\r'>, comment> {};

// The column the statement or block element being parsed starts at (0: the start of its
// line). A parse runs on one thread; each statement sets it, each block element for itself.
inline thread_local std::size_t statement_indent = 0;

template <typename ParseInput>
std::size_t column_of(const ParseInput& in) {
  const char* line = in.current();
  while (line > in.begin() && line[-1] != '\n') --line;
  return static_cast<std::size_t>(in.current() - line);
}

// Zero-width: a statement starts here.
struct indentation_mark {
  using rule_t = indentation_mark;
  using subs_t = empty_list;
  template <apply_mode, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&...) {
    statement_indent = column_of(in);
    return true;
  }
};

// `Rules` in sequence as a block element that starts here; then the statement goes on as
// before the element.
template <typename... Rules>
struct element {
  using rule_t = element;
  using subs_t = type_list<Rules...>;
  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... st) {
    struct Restore {
      std::size_t column;
      ~Restore() { statement_indent = column; }
    } restore{statement_indent};
    statement_indent = column_of(in);
    return Control<seq<Rules...>>::template match<A, M, Action, Control>(in, st...);
  }
};

// A line break inside a statement: the next line is not blank and is indented deeper than
// the column the statement starts at.
struct continuation {
  using rule_t = continuation;
  using subs_t = empty_list;
  template <apply_mode, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&...) {
    const std::string_view text(in.current(), in.size());
    const std::size_t eol = text.starts_with("\r\n") ? 2 : text.starts_with('\n') ? 1 : 0;
    if (eol == 0) return false;
    auto i = eol;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i - eol <= statement_indent || i == text.size() || text[i] == '\n' || text[i] == '\r')
      return false;
    in.bump(eol);
    return true;
  }
};

struct _ : star<sor<blank, continuation>> {};
struct layout : star<sor<blank, one<';'>, eol>> {};
// Inside parentheses newlines are free.
struct space_or_newline : star<sor<blank, eol>> {};
struct statement_end : seq<_, sor<one<';'>, eol, eof, at<one<'}'>>>> {
  static constexpr const char* expected =
      "the end of the statement (a newline or `;`; to go on over the next line, indent it "
      "deeper than the statement's first)";
};
struct element_end : seq<_, sor<one<';', ','>, eol, at<one<'}'>>>> {
  static constexpr const char* expected = "the end of the line (a newline, `;` or `,`)";
};

struct ident_first : sor<ranges<'a', 'z', 'A', 'Z'>, one<'_'>, utf8::range<0x80, 0x10FFFF>> {};
struct ident_other : sor<ident_first, digit, one<'$'>> {};

template <char... Cs>
struct keyword : seq<istring<Cs...>, not_at<ident_other>> {
  static constexpr char expected[] = {'`', Cs..., '`', '\0'};
};
#define MIG_KEYWORD(word) TAO_PEGTL_INTERNAL_STRING(keyword, word)

struct kw_action : MIG_KEYWORD("action") {};
struct kw_add : MIG_KEYWORD("add") {};
struct kw_allow : MIG_KEYWORD("allow") {};
struct kw_alter : MIG_KEYWORD("alter") {};
struct kw_always : MIG_KEYWORD("always") {};
struct kw_as : MIG_KEYWORD("as") {};
struct kw_batch : MIG_KEYWORD("batch") {};
struct kw_backfill : MIG_KEYWORD("backfill") {};
struct kw_by : MIG_KEYWORD("by") {};
struct kw_cascade : MIG_KEYWORD("cascade") {};
struct kw_check : MIG_KEYWORD("check") {};
struct kw_column : MIG_KEYWORD("column") {};
struct kw_concurrently : MIG_KEYWORD("concurrently") {};
struct kw_constraint : MIG_KEYWORD("constraint") {};
struct kw_create : MIG_KEYWORD("create") {};
struct kw_data : MIG_KEYWORD("data") {};
struct kw_default : MIG_KEYWORD("default") {};
struct kw_delete : MIG_KEYWORD("delete") {};
struct kw_from : MIG_KEYWORD("from") {};
struct kw_down : MIG_KEYWORD("down") {};
struct kw_drop : MIG_KEYWORD("drop") {};
struct kw_exclude : MIG_KEYWORD("exclude") {};
struct kw_exists : MIG_KEYWORD("exists") {};
struct kw_foreign : MIG_KEYWORD("foreign") {};
struct kw_generated : MIG_KEYWORD("generated") {};
struct kw_identity : MIG_KEYWORD("identity") {};
struct kw_if : MIG_KEYWORD("if") {};
struct kw_index : MIG_KEYWORD("index") {};
struct kw_key : MIG_KEYWORD("key") {};
struct kw_no : MIG_KEYWORD("no") {};
struct kw_not : MIG_KEYWORD("not") {};
struct kw_null : MIG_KEYWORD("null") {};
struct kw_on : MIG_KEYWORD("on") {};
struct kw_primary : MIG_KEYWORD("primary") {};
struct kw_references : MIG_KEYWORD("references") {};
struct kw_rename : MIG_KEYWORD("rename") {};
struct kw_restrict : MIG_KEYWORD("restrict") {};
struct kw_set : MIG_KEYWORD("set") {};
struct kw_sql : MIG_KEYWORD("sql") {};
struct kw_table : MIG_KEYWORD("table") {};
struct kw_to : MIG_KEYWORD("to") {};
struct kw_type : MIG_KEYWORD("type") {};
struct kw_unique : MIG_KEYWORD("unique") {};
struct kw_update : MIG_KEYWORD("update") {};
struct kw_using : MIG_KEYWORD("using") {};
struct kw_valid : MIG_KEYWORD("valid") {};
struct kw_validate : MIG_KEYWORD("validate") {};
struct kw_where : MIG_KEYWORD("where") {};
struct kw_with : MIG_KEYWORD("with") {};
// schemas, extensions, enum types and comments
struct kw_after : MIG_KEYWORD("after") {};
struct kw_before : MIG_KEYWORD("before") {};
struct kw_comment : MIG_KEYWORD("comment") {};
struct kw_enum : MIG_KEYWORD("enum") {};
struct kw_extension : MIG_KEYWORD("extension") {};
struct kw_is : MIG_KEYWORD("is") {};
struct kw_schema : MIG_KEYWORD("schema") {};
struct kw_sequence : MIG_KEYWORD("sequence") {};
struct kw_value : MIG_KEYWORD("value") {};

// ---------------------------------------------------------------- names

struct bare_name : seq<ident_first, star<ident_other>> {};
struct quoted_name_body : star<sor<two<'"'>, not_one<'"', '\n'>>> {};
struct quoted_name_close : one<'"'> {
  static constexpr const char* expected = "a closing `\"` (quoted names end on their line)";
};
struct quoted_name : if_must<one<'"'>, quoted_name_body, quoted_name_close> {};
struct name : sor<quoted_name, bare_name> {};
struct qualified_name : seq<name, opt<_, one<'.'>, _, name>> {};

struct table_name : qualified_name {
  static constexpr const char* expected = "a table name";
};
struct new_table_name : qualified_name {
  static constexpr const char* expected = "the new table name";
};
struct index_name : qualified_name {
  static constexpr const char* expected = "an index name";
};
struct new_index_name : seq<not_at<kw_on>, qualified_name> {
  static constexpr const char* expected = "an index name";
};
struct column_name : name {
  static constexpr const char* expected = "a column name";
};
struct new_column_name : name {
  static constexpr const char* expected = "the new column name";
};
struct constraint_name : seq<not_at<kw_using>, name> {
  static constexpr const char* expected = "a constraint name";
};
struct new_constraint_name : name {
  static constexpr const char* expected = "the new constraint name";
};
struct schema_name : name {
  static constexpr const char* expected = "a schema name";
};
struct method_name : name {
  static constexpr const char* expected = "an index method (btree, hash, gin, gist, brin, spgist)";
};

// ---------------------------------------------------------------- captured SQL
// SQL text is captured balanced (quotes, parentheses, brackets, dollar quotes) and
// checked later with PostgreSQL's own parser.

struct sql_string_close : one<'\''> {
  static constexpr const char* expected = "a closing `'` for the string literal";
};
struct sql_string : if_must<one<'\''>, star<sor<two<'\''>, not_one<'\''>>>, sql_string_close> {};
struct sql_escape_string
    : seq<one<'E', 'e'>, one<'\''>, star<sor<seq<one<'\\'>, any>, two<'\''>, not_one<'\''>>>,
          sql_string_close> {};

// $tag$ ... $tag$
struct sql_dollar_string {
  using rule_t = sql_dollar_string;
  using subs_t = empty_list;
  template <apply_mode, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&...) {
    const std::string_view text(in.current(), in.size());
    if (text.empty() || text[0] != '$') return false;
    std::size_t tag_end = 1;
    while (tag_end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[tag_end])) || text[tag_end] == '_'))
      ++tag_end;
    if (tag_end >= text.size() || text[tag_end] != '$') return false;
    if (tag_end > 1 && std::isdigit(static_cast<unsigned char>(text[1]))) return false;  // $1
    const auto tag = text.substr(0, tag_end + 1);
    const auto close = text.find(tag, tag.size());
    // Raised rather than failed: trying again at every later `$` would be quadratic.
    if (close == std::string_view::npos)
      throw parse_error(fmt::format("this dollar-quoted string is never closed: expected `{}` "
                                    "before the end of the file",
                                    tag),
                        in);
    in.bump(close + tag.size());
    return true;
  }
};

// SQL comments: their text is opaque (a `(` or `'` in a comment opens nothing), and the
// compiler drops them from the SQL it generates.
struct sql_line_comment : seq<two<'-'>, until<at<eolf>>> {};
// /* ... */, nested as in PostgreSQL
struct sql_block_comment {
  using rule_t = sql_block_comment;
  using subs_t = empty_list;
  template <apply_mode, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&...) {
    const std::string_view text(in.current(), in.size());
    if (!text.starts_with("/*")) return false;
    std::size_t depth = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] == '/' && text[i + 1] == '*') {
        ++depth;
        ++i;
      } else if (text[i] == '*' && text[i + 1] == '/') {
        ++i;
        if (--depth == 0) {
          in.bump(i + 1);
          return true;
        }
      }
    }
    throw parse_error("this comment is never closed: expected `*/` before the end of the file", in);
  }
};
struct sql_comment : sor<sql_line_comment, sql_block_comment> {};

struct sql_group;
struct sql_brackets;
struct sql_word : plus<ident_other> {};
struct sql_in_group
    : sor<sql_comment, sql_escape_string, sql_string, sql_dollar_string, quoted_name, sql_group,
          sql_brackets, sql_word, not_one<'(', ')', '[', ']', '\'', '"'>> {};
struct sql_group_close : one<')'> {
  static constexpr const char* expected = "a closing `)`";
};
struct sql_brackets_close : one<']'> {
  static constexpr const char* expected = "a closing `]`";
};
struct sql_group : if_must<one<'('>, star<sql_in_group>, sql_group_close> {};
struct sql_brackets : if_must<one<'['>, star<sql_in_group>, sql_brackets_close> {};
// One token of SQL on the current line.
struct sql_token : sor<sql_comment, sql_escape_string, sql_string, sql_dollar_string, quoted_name,
                       sql_group, sql_brackets, sql_word,
                       not_one<'\n', '\r', ';', '(', ')', '[', ']', '{', '}', '\'', '"', '#'>> {};
// SQL from here to the end of the line, and over the lines that continue the statement.
struct sql_to_line_end : plus<sor<sql_token, continuation>> {};

struct column_constraint_start : sor<kw_not, kw_null, kw_default, kw_primary, kw_unique,
                                     kw_references, kw_check, kw_generated> {};

struct default_stop : sor<one<','>, column_constraint_start> {};
struct default_expr : seq<sql_token, star<not_at<_, default_stop>, sql_token>> {
  static constexpr const char* expected = "a default expression";
};
struct check_expr : sql_group {
  static constexpr const char* expected = "a parenthesized check expression";
};
struct using_expr : sql_to_line_end {
  static constexpr const char* expected = "a conversion expression after `using`";
};
struct where_expr : sql_to_line_end {
  static constexpr const char* expected = "a predicate after `where`";
};

// A type: words, parameters and array bounds, up to the first column constraint.
struct type_stop : sor<column_constraint_start, kw_using> {};
struct type_word : sor<quoted_name, seq<bare_name, star<one<'.'>, name>>> {};
struct type_name
    : seq<type_word,
          star<_, sor<sql_group, sql_brackets, sql_comment, seq<not_at<type_stop>, type_word>>>> {
  static constexpr const char* expected = "a type";
};

// ---------------------------------------------------------------- columns and constraints

struct column_list_close : one<')'> {
  static constexpr const char* expected = "`,` or `)` in the column list";
};
struct column_list : seq<one<'('>, space_or_newline, must<column_name>,
                         star<space_or_newline, one<','>, space_or_newline, must<column_name>>,
                         space_or_newline, must<column_list_close>> {
  static constexpr const char* expected = "a parenthesized list of column names";
};
struct referenced_columns : column_list {};

// `on delete set null (a)`: only these columns of the key are set (PostgreSQL 15).
struct set_columns : column_list {};
struct referential_action : sor<seq<kw_no, _, must<kw_action>>, kw_restrict, kw_cascade,
                                seq<kw_set, _, must<sor<kw_null, kw_default>>>> {
  static constexpr const char* expected =
      "`no action`, `restrict`, `cascade`, `set null` or `set default`";
};
struct on_delete : seq<kw_delete, _, must<referential_action>, opt<_, set_columns>> {};
struct on_update : seq<kw_update, _, must<referential_action>> {};
struct fk_action_kind : sor<on_delete, on_update> {
  static constexpr const char* expected = "`delete` or `update`";
};
struct fk_actions : star<_, kw_on, _, must<fk_action_kind>> {};
// When a unique, primary key or foreign key constraint is checked: `deferrable` (at the end
// of each statement, unless the transaction defers it), `deferrable initially deferred` (at
// commit).
struct kw_deferrable : MIG_KEYWORD("deferrable") {};
struct kw_deferred : MIG_KEYWORD("deferred") {};
struct kw_immediate : MIG_KEYWORD("immediate") {};
struct kw_initially : MIG_KEYWORD("initially") {};
struct initially_deferred : kw_deferred {};
struct initial_check : sor<initially_deferred, kw_immediate> {
  static constexpr const char* expected = "`deferred` or `immediate`";
};
struct deferrable : seq<kw_deferrable, opt<_, kw_initially, _, must<initial_check>>> {};
struct references_clause : seq<kw_references, _, must<table_name>, opt<_, referenced_columns>,
                               fk_actions, opt<_, deferrable>> {
  static constexpr const char* expected = "`references` and the referenced table";
};

struct not_null : seq<kw_not, _, must<kw_null>> {};
struct null_constraint : kw_null {};
struct default_clause : seq<kw_default, _, must<default_expr>> {};
struct primary_key_inline : seq<kw_primary, _, must<kw_key>> {};
struct kw_distinct : MIG_KEYWORD("distinct") {};
struct kw_nulls : MIG_KEYWORD("nulls") {};
struct nulls_not_distinct : seq<kw_nulls, _, kw_not, _, must<kw_distinct>> {};
struct unique_inline : seq<kw_unique, opt<_, nulls_not_distinct>> {};
struct check_inline : seq<kw_check, _, must<check_expr>> {};
struct identity_always : kw_always {};
struct identity_by_default : seq<kw_by, _, must<kw_default>> {};
struct identity_kind : sor<identity_always, identity_by_default> {
  static constexpr const char* expected = "`always` or `by default`";
};
struct identity_clause
    : seq<kw_generated, _, must<identity_kind>, _, must<kw_as>, _, must<kw_identity>> {};
// A stored generated column: `generated always as (expression) stored`.
struct kw_stored : MIG_KEYWORD("stored") {};
struct generated_expr : sql_group {};
struct generated_clause
    : seq<kw_generated, _, kw_always, _, kw_as, _, generated_expr, _, must<kw_stored>> {};
struct column_constraint
    : sor<not_null, null_constraint, default_clause, primary_key_inline, unique_inline,
          references_clause, check_inline, generated_clause, identity_clause> {};

struct column_def : seq<must<column_name>, _, must<type_name>, star<_, column_constraint>> {};

struct using_index : seq<kw_using, _, must<kw_index>, _, must<index_name>> {};
struct constraint_columns_or_index : sor<using_index, column_list> {
  static constexpr const char* expected = "a parenthesized list of column names or `using index`";
};
// A unique constraint or index where NULLs are equal (PostgreSQL 15).
struct primary_key_constraint : seq<kw_primary, _, must<kw_key>, _, opt<constraint_name, _>,
                                    must<constraint_columns_or_index>, opt<_, deferrable>> {};
struct unique_constraint : seq<kw_unique, _, opt<nulls_not_distinct, _>, opt<constraint_name, _>,
                               must<constraint_columns_or_index>, opt<_, deferrable>> {};
struct check_constraint : seq<kw_check, _, opt<constraint_name, _>, must<check_expr>> {};
struct foreign_key_constraint : seq<kw_foreign, _, must<kw_key>, _, opt<constraint_name, _>,
                                    must<column_list>, _, must<references_clause>> {};
// exclude [NAME] [using METHOD] (KEY with OPERATOR, ...) [where (PREDICATE)]: no two rows
// whose keys all satisfy their operators.
struct exclusion_key : plus<not_at<_, kw_with>, not_at<one<',', ')'>>, sql_in_group> {
  static constexpr const char* expected = "an element (a column or an expression)";
};
struct exclusion_operator : plus<not_one<',', ')', ' ', '\t', '\r', '\n'>> {
  static constexpr const char* expected = "an operator, e.g. `=` or `&&`";
};
struct exclusion_element : seq<space_or_newline, must<exclusion_key>, _, must<kw_with>, _,
                               must<exclusion_operator>, space_or_newline> {};
struct exclusion_elements_close : one<')'> {
  static constexpr const char* expected = "`,` or `)` after the operator";
};
struct exclusion_elements : seq<one<'('>, exclusion_element, star<one<','>, exclusion_element>,
                                must<exclusion_elements_close>> {
  static constexpr const char* expected =
      "the elements in parentheses, e.g. `(room with =, during with &&)`";
};
struct index_method : seq<kw_using, _, must<method_name>> {};
struct exclusion_where : seq<kw_where, _, must<check_expr>> {};
struct exclusion_constraint
    : seq<kw_exclude, _, opt<constraint_name, _>, at<sor<kw_using, one<'('>>>, opt<index_method, _>,
          must<exclusion_elements>, opt<_, exclusion_where>, opt<_, deferrable>> {};
struct table_constraint : sor<primary_key_constraint, unique_constraint, check_constraint,
                              foreign_key_constraint, exclusion_constraint> {
  static constexpr const char* expected =
      "`column`, `check`, `unique`, `primary key`, `foreign key` or `exclude` after `add`";
};
struct not_valid : seq<kw_not, _, must<kw_valid>> {};

// ---------------------------------------------------------------- statements

struct table_element : sor<table_constraint, column_def> {};
struct table_body_close : one<'}'> {
  static constexpr const char* expected = "a column, a table constraint or `}`";
};
struct table_body
    : seq<one<'{'>, layout,
          star<not_at<sor<one<'}'>, eof>>, element<table_element, must<element_end>>, layout>,
          must<table_body_close>> {
  static constexpr const char* expected = "`{` and the table's columns";
};
struct if_not_exists_not_needed : failure {
  static constexpr const char* refusal =
      "`create table` takes no `if not exists`: mig knows from the earlier migrations whether "
      "the table exists, and says so when it compiles";
};
// Not written to the WAL: faster, emptied after a crash, not on standbys.
struct kw_unlogged : MIG_KEYWORD("unlogged") {};
struct unlogged : kw_unlogged {};

// Declarative partitioning: `partition by range|list|hash (KEY)` after a table's body; a
// partition is `create table NAME partition of PARENT BOUND`, its columns the parent's.
struct kw_attach : MIG_KEYWORD("attach") {};
struct kw_detach : MIG_KEYWORD("detach") {};
struct kw_for : MIG_KEYWORD("for") {};
struct kw_hash : MIG_KEYWORD("hash") {};
struct kw_in : MIG_KEYWORD("in") {};
struct kw_list : MIG_KEYWORD("list") {};
struct kw_of : MIG_KEYWORD("of") {};
struct kw_partition : MIG_KEYWORD("partition") {};
struct kw_range : MIG_KEYWORD("range") {};
struct kw_values : MIG_KEYWORD("values") {};
struct concurrently : kw_concurrently {};
struct range_strategy : kw_range {};
struct list_strategy : kw_list {};
struct hash_strategy : kw_hash {};
struct partition_strategy : sor<range_strategy, list_strategy, hash_strategy> {
  static constexpr const char* expected = "`range`, `list` or `hash`";
};
struct partition_key : sql_group {
  static constexpr const char* expected = "the partition key in parentheses, e.g. `(created_at)`";
};
struct partition_by
    : seq<kw_partition, _, must<kw_by>, _, must<partition_strategy>, _, must<partition_key>> {};
struct bound_from : sql_group {
  static constexpr const char* expected = "the lower bound in parentheses";
};
struct bound_to : sql_group {
  static constexpr const char* expected = "the upper bound in parentheses";
};
struct bound_in : sql_group {
  static constexpr const char* expected = "the partition's values in parentheses";
};
struct bound_with : sql_group {
  static constexpr const char* expected = "`(modulus N, remainder R)`";
};
struct range_bound : seq<kw_from, _, must<bound_from>, _, must<kw_to>, _, must<bound_to>> {};
struct list_bound : seq<kw_in, _, must<bound_in>> {};
struct hash_bound : seq<kw_with, _, must<bound_with>> {};
struct bound_values : sor<range_bound, list_bound, hash_bound> {
  static constexpr const char* expected =
      "`from (...) to (...)`, `in (...)` or `with (modulus N, remainder R)`";
};
struct default_bound : kw_default {};
struct partition_bound
    : sor<default_bound, seq<kw_for, _, must<kw_values>, _, must<bound_values>>> {
  static constexpr const char* expected = "`for values ...` or `default`";
};
struct parent_table_name : qualified_name {
  static constexpr const char* expected = "the partitioned table's name";
};
struct partition_name : qualified_name {
  static constexpr const char* expected = "the partition's name";
};
struct partition_of : seq<kw_partition, _, must<kw_of>, _, must<parent_table_name>, _,
                          must<partition_bound>, opt<_, partition_by>> {};
struct table_definition : sor<partition_of, seq<table_body, opt<_, partition_by>>> {
  static constexpr const char* expected = "`{` and the table's columns, or `partition of`";
};
struct create_table : seq<kw_create, _, opt<unlogged, _>, kw_table, _,
                          opt<at<kw_if, _, kw_not, _, kw_exists>, must<if_not_exists_not_needed>>,
                          must<table_name>, _, must<table_definition>> {};

struct drop_table : seq<kw_drop, _, kw_table, _, must<table_name>> {};
struct rename_table
    : seq<kw_rename, _, kw_table, _, must<table_name>, _, must<kw_to>, _, must<new_table_name>> {};

struct add_column : seq<kw_add, _, kw_column, _, column_def> {};
struct add_constraint : seq<kw_add, _, must<table_constraint>, opt<_, not_valid>> {};
struct drop_column : seq<kw_drop, _, kw_column, _, must<column_name>> {};
struct drop_constraint : seq<kw_drop, _, kw_constraint, _, must<constraint_name>> {};
struct rename_constraint : seq<kw_rename, _, kw_constraint, _, must<constraint_name>, _,
                               must<kw_to>, _, must<new_constraint_name>> {};
struct rename_column
    : seq<kw_rename, _, kw_column, _, must<column_name>, _, must<kw_to>, _, must<new_column_name>> {
};
struct validate_constraint : seq<kw_validate, _, must<kw_constraint>, _, must<constraint_name>> {};
struct set_type : seq<opt<kw_set, _, kw_data, _>, kw_type, _, must<type_name>,
                      opt<_, kw_using, _, must<using_expr>>> {};
struct set_not_null : seq<kw_set, _, kw_not, _, must<kw_null>> {};
struct set_default : seq<kw_set, _, kw_default, _, must<default_expr>> {};
struct drop_not_null : seq<kw_drop, _, kw_not, _, must<kw_null>> {};
struct drop_default : seq<kw_drop, _, kw_default> {};
// The identity of an existing column.
struct add_identity : seq<kw_add, _, identity_clause> {};
struct set_identity : seq<kw_set, _, kw_generated, _, must<identity_kind>> {};
struct drop_identity : seq<kw_drop, _, kw_identity> {};
struct column_change : sor<set_type, set_not_null, set_default, set_identity, drop_not_null,
                           drop_default, drop_identity, add_identity> {
  static constexpr const char* expected =
      "`type`, `set not null`, `drop not null`, `set default`, `drop default`, `add generated "
      "... as identity`, `set generated` or `drop identity`";
};
struct alter_column
    : seq<kw_alter, _, must<kw_column>, _, must<column_name>, _, must<column_change>> {};
// Row-level security: `enable`, `disable`, `force` or `no force row level security`.
struct kw_disable : MIG_KEYWORD("disable") {};
struct kw_enable : MIG_KEYWORD("enable") {};
struct kw_force : MIG_KEYWORD("force") {};
struct kw_level : MIG_KEYWORD("level") {};
struct kw_row : MIG_KEYWORD("row") {};
struct kw_security : MIG_KEYWORD("security") {};
struct row_level_security : seq<kw_row, _, must<kw_level>, _, must<kw_security>> {
  static constexpr const char* expected = "`row level security`";
};
struct enable_row_security : seq<kw_enable, _, must<row_level_security>> {};
struct disable_row_security : seq<kw_disable, _, must<row_level_security>> {};
struct force_row_security : seq<kw_force, _, must<row_level_security>> {};
struct no_force_row_security : seq<kw_no, _, must<kw_force>, _, must<row_level_security>> {};
struct row_security_change
    : sor<enable_row_security, disable_row_security, force_row_security, no_force_row_security> {};
struct kw_logged : MIG_KEYWORD("logged") {};
struct set_logged : seq<kw_set, _, kw_logged> {};
struct set_unlogged : seq<kw_set, _, kw_unlogged> {};
struct set_schema : seq<kw_set, _, kw_schema, _, must<schema_name>> {};
struct attach_partition
    : seq<kw_attach, _, must<kw_partition>, _, must<partition_name>, _, must<partition_bound>> {};
struct detach_partition
    : seq<kw_detach, _, must<kw_partition>, _, must<partition_name>, opt<_, concurrently>> {};
struct alter_action
    : sor<add_column, add_constraint, drop_column, drop_constraint, rename_column,
          rename_constraint, validate_constraint, alter_column, row_security_change, set_logged,
          set_unlogged, set_schema, attach_partition, detach_partition> {
  static constexpr const char* expected =
      "`add`, `drop column`, `drop constraint`, `rename column`, `rename constraint`, `alter "
      "column`, `validate constraint`, `enable row level security`, `set logged`, `set "
      "unlogged`, `set schema`, `attach partition` or `detach partition`";
};
struct alter_body_close : one<'}'> {
  static constexpr const char* expected = "an alter action or `}`";
};
struct alter_body
    : seq<one<'{'>, layout,
          star<not_at<sor<one<'}'>, eof>>, element<must<alter_action>, must<element_end>>, layout>,
          must<alter_body_close>> {};
struct alter_table_action : sor<alter_body, alter_action> {
  static constexpr const char* expected = "`{` or an alter action";
};
struct alter_table : seq<kw_alter, _, kw_table, _, must<table_name>, _, must<alter_table_action>> {
};

struct unique_index : kw_unique {};
struct if_not_exists : seq<kw_if, _, must<kw_not>, _, must<kw_exists>> {};
struct if_exists : seq<kw_if, _, must<kw_exists>> {};
struct index_key : seq<not_at<one<')'>>, plus<not_at<one<',', ')'>>, sql_in_group>> {
  static constexpr const char* expected = "an index key (a column or an expression)";
};
struct index_keys_close : one<')'> {
  static constexpr const char* expected = "`,` or `)` after the index key";
};
struct index_keys : seq<one<'('>, space_or_newline, must<index_key>,
                        star<one<','>, space_or_newline, must<index_key>>, must<index_keys_close>> {
  static constexpr const char* expected = "a parenthesized list of index keys";
};
struct index_where : seq<kw_where, _, must<where_expr>> {};
// Non-key columns stored in the index: `include (a, b)`.
struct kw_include : MIG_KEYWORD("include") {};
struct included_columns : column_list {};
struct index_include : seq<kw_include, _, must<included_columns>> {};
// Storage parameters as in SQL: `with (fillfactor = 70)`.
struct storage_parameters : sql_group {
  static constexpr const char* expected = "parenthesized storage parameters";
};
struct index_with : seq<kw_with, _, must<storage_parameters>> {};
struct create_index
    : seq<kw_create, _, opt<unique_index, _>, kw_index, _, opt<concurrently, _>,
          opt<if_not_exists, _>, must<new_index_name>, _, must<kw_on>, _, must<table_name>, _,
          opt<index_method, _>, must<index_keys>, opt<_, index_include>, opt<_, nulls_not_distinct>,
          opt<_, index_with>, opt<_, index_where>> {};
struct drop_index
    : seq<kw_drop, _, kw_index, _, opt<concurrently, _>, opt<if_exists, _>, must<index_name>> {};
struct alter_index : seq<kw_alter, _, kw_index, _, must<index_name>, _, must<kw_rename>, _,
                         must<kw_to>, _, must<new_index_name>> {};
// Rebuilds an index, or every index of a table.
struct kw_reindex : MIG_KEYWORD("reindex") {};
struct reindex_index : seq<kw_index, _, opt<concurrently, _>, must<index_name>> {};
struct reindex_table : seq<kw_table, _, opt<concurrently, _>, must<table_name>> {};
struct reindex_target : sor<reindex_index, reindex_table> {
  static constexpr const char* expected = "`index` or `table`";
};
struct reindex : seq<kw_reindex, _, must<reindex_target>> {};

// Raw SQL: `sql { ... } down { ... }`. `#` is SQL here.
struct sql_braces;
struct sql_block_part : sor<sql_comment, sql_escape_string, sql_string, sql_dollar_string,
                            quoted_name, sql_braces, sql_word, not_one<'{', '}'>> {};
struct sql_block_close;
struct sql_braces : seq<one<'{'>, star<sql_block_part>, must<sql_block_close>> {};
struct sql_block_body : star<sql_block_part> {};
struct sql_block_close : one<'}'> {
  static constexpr const char* expected = "`}` closing the SQL block";
};
struct sql_block : seq<one<'{'>, sql_block_body, must<sql_block_close>> {
  static constexpr const char* expected = "`{` and SQL statements";
};
struct down_block : seq<kw_down, _, must<sql_block>> {};
struct raw_sql : seq<kw_sql, _, must<sql_block>, opt<star<sor<blank, eol>>, down_block>> {};

// backfill TABLE set COL = EXPR [, COL = EXPR] [where PRED] [batch N]
struct backfill_stop : sor<one<','>, kw_where, kw_batch> {};
struct set_expr : seq<sql_token, star<not_at<_, backfill_stop>, sor<sql_token, continuation>>> {
  static constexpr const char* expected = "an expression";
};
struct equals_sign : one<'='> {
  static constexpr const char* expected = "`=`";
};
struct set_item : seq<must<column_name>, _, must<equals_sign>, _, must<set_expr>> {};
struct backfill_where_expr
    : seq<sql_token, star<not_at<_, kw_batch>, sor<sql_token, continuation>>> {
  static constexpr const char* expected = "a predicate after `where`";
};
struct backfill_where : seq<kw_where, _, must<backfill_where_expr>> {};
struct batch_size : plus<digit> {
  static constexpr const char* expected = "a batch size (a positive whole number)";
};
struct backfill_batch : seq<kw_batch, _, must<batch_size>> {};
struct backfill
    : seq<kw_backfill, _, must<table_name>, _, must<kw_set>, _, set_item,
          star<_, one<','>, _, set_item>, opt<_, backfill_where>, opt<_, backfill_batch>> {};

// delete from TABLE where PRED [batch N]: run in batches like a backfill
struct delete_where : backfill_where {
  static constexpr const char* expected =
      "`where` and a predicate (`where true` deletes every row)";
};
struct batched_delete : seq<kw_delete, _, must<kw_from>, _, must<table_name>, _, must<delete_where>,
                            opt<_, backfill_batch>> {};

// ---------------------------------------------------------------- functions, triggers, views
// The definition after the name is SQL as PostgreSQL reads it (a function's body in
// dollar quotes spans lines); the names are the language's, so the compiler can quote them
// and follow them in the model.

struct kw_execute : MIG_KEYWORD("execute") {};
struct kw_function : MIG_KEYWORD("function") {};
struct kw_or : MIG_KEYWORD("or") {};
struct kw_procedure : MIG_KEYWORD("procedure") {};
struct kw_replace : MIG_KEYWORD("replace") {};
struct kw_trigger : MIG_KEYWORD("trigger") {};
struct kw_view : MIG_KEYWORD("view") {};

struct or_replace : seq<kw_or, _, must<kw_replace>> {};
struct function_name : qualified_name {
  static constexpr const char* expected = "a function name";
};
struct function_arguments : sql_group {
  static constexpr const char* expected = "the function's arguments in parentheses, e.g. `()`";
};
struct function_body : sql_to_line_end {
  static constexpr const char* expected =
      "`returns`, `language` and the body, e.g. `returns trigger language plpgsql as $$ ... $$`";
};
struct function_definition : seq<must<function_arguments>, _, must<function_body>> {};
struct create_function : seq<kw_create, _, opt<or_replace, _>, kw_function, _, must<function_name>,
                             _, function_definition> {};
struct argument_types : sql_group {};
struct drop_function
    : seq<kw_drop, _, kw_function, _, must<function_name>, opt<_, argument_types>> {};

struct trigger_name : name {
  static constexpr const char* expected = "a trigger name";
};
struct trigger_events : plus<not_at<kw_on>, sor<sql_token, continuation>> {
  static constexpr const char* expected =
      "when the trigger fires, e.g. `before update` or `after insert or delete`";
};
struct trigger_condition : star<not_at<kw_execute>, sor<sql_token, continuation>> {};
struct trigger_function_kind : sor<kw_function, kw_procedure> {
  static constexpr const char* expected = "`function`";
};
struct trigger_arguments : sql_group {
  static constexpr const char* expected = "the function's arguments in parentheses, e.g. `()`";
};
struct create_trigger
    : seq<kw_create, _, kw_trigger, _, must<trigger_name>, _, must<trigger_events>, must<kw_on>, _,
          must<table_name>, _, trigger_condition, must<kw_execute>, _, must<trigger_function_kind>,
          _, must<function_name>, _, must<trigger_arguments>> {};
struct drop_trigger
    : seq<kw_drop, _, kw_trigger, _, must<trigger_name>, _, must<kw_on>, _, must<table_name>> {};

struct view_name : qualified_name {
  static constexpr const char* expected = "a view name";
};
struct view_query : sql_to_line_end {
  static constexpr const char* expected = "the view's query, e.g. `select ...`";
};
struct create_view : seq<kw_create, _, opt<or_replace, _>, kw_view, _, must<view_name>, _,
                         opt<column_list, _>, must<kw_as>, _, must<view_query>> {};
struct drop_view : seq<kw_drop, _, kw_view, _, must<view_name>> {};

// Materialized views: the query as a view's, then `with data` (the default) or `with no data`.
struct kw_materialized : MIG_KEYWORD("materialized") {};
struct kw_refresh : MIG_KEYWORD("refresh") {};
struct no_data : kw_no {};
struct with_data : seq<kw_with, _, opt<no_data, _>, kw_data> {};
struct materialized_view_query
    : plus<not_at<_, with_data, _, at<sor<eolf, one<';'>>>>, sor<sql_token, continuation>> {
  static constexpr const char* expected = "the view's query, e.g. `select ...`";
};
struct create_materialized_view
    : seq<kw_create, _, kw_materialized, _, must<kw_view>, _, must<view_name>, _,
          opt<column_list, _>, must<kw_as>, _, must<materialized_view_query>, opt<_, with_data>> {};
struct drop_materialized_view
    : seq<kw_drop, _, kw_materialized, _, must<kw_view>, _, must<view_name>> {};
struct refresh_materialized_view : seq<kw_refresh, _, must<kw_materialized>, _, must<kw_view>, _,
                                       opt<concurrently, _>, must<view_name>, opt<_, with_data>> {};

// @allow(rule-id, "reason")
struct rule_id : plus<sor<ranges<'a', 'z', '0', '9'>, one<'-'>>> {
  static constexpr const char* expected = "a rule id such as `locking-index`";
};
struct reason_close : one<'"'> {
  static constexpr const char* expected = "a closing `\"`";
};
struct reason : seq<one<'"'>, star<sor<two<'"'>, not_one<'"', '\n'>>>, must<reason_close>> {
  static constexpr const char* expected = "a quoted reason, e.g. \"fewer than 1000 rows\"";
};
struct open_paren : one<'('> {
  static constexpr const char* expected = "`(`";
};
struct comma : one<','> {
  static constexpr const char* expected = "`,` and a quoted reason (the reason is mandatory)";
};
struct close_paren : one<')'> {
  static constexpr const char* expected = "`)`";
};
struct annotation : seq<one<'@'>, must<kw_allow>, _, must<open_paren>, _, must<rule_id>, _,
                        must<comma>, _, must<reason>, _, must<close_paren>> {};

// ---------------------------------------------------------------- schemas, extensions, enum types,
// comments

struct extension_name : name {
  static constexpr const char* expected = "an extension name";
};
struct enum_type_name : qualified_name {
  static constexpr const char* expected = "a type name";
};
struct create_schema : seq<kw_create, _, kw_schema, _, must<schema_name>> {};
struct drop_schema : seq<kw_drop, _, kw_schema, _, must<schema_name>> {};
struct extension_schema : seq<kw_schema, _, must<schema_name>> {};
struct create_extension
    : seq<kw_create, _, kw_extension, _, must<extension_name>, opt<_, extension_schema>> {};
struct drop_extension : seq<kw_drop, _, kw_extension, _, must<extension_name>> {};

// An enum value is a plain SQL string: 'it''s'.
struct enum_label : sql_string {
  static constexpr const char* expected = "a value in single quotes";
};
struct new_enum_label : sql_string {
  static constexpr const char* expected = "the new value in single quotes";
};
struct neighbour_label : sql_string {
  static constexpr const char* expected = "the value to place it next to, in single quotes";
};
struct enum_labels_close : one<')'> {
  static constexpr const char* expected = "`,` or `)`";
};
struct enum_labels : seq<one<'('>, space_or_newline, must<enum_label>,
                         star<space_or_newline, one<','>, space_or_newline, must<enum_label>>,
                         space_or_newline, must<enum_labels_close>> {
  static constexpr const char* expected = "the values in parentheses: `('a', 'b')`";
};
struct create_enum : seq<kw_create, _, kw_type, _, must<enum_type_name>, _, must<kw_as>, _,
                         must<kw_enum>, _, must<enum_labels>> {};
struct value_before : kw_before {};
struct value_after : kw_after {};
struct value_position : seq<sor<value_before, value_after>, _, must<neighbour_label>> {};
struct add_value : seq<kw_add, _, must<kw_value>, _, must<enum_label>, opt<_, value_position>> {};
struct rename_value : seq<kw_rename, _, must<kw_value>, _, must<enum_label>, _, must<kw_to>, _,
                          must<new_enum_label>> {};
struct alter_type_action : sor<add_value, rename_value> {
  static constexpr const char* expected = "`add value` or `rename value`";
};
struct alter_type : seq<kw_alter, _, kw_type, _, must<enum_type_name>, _, must<alter_type_action>> {
};
struct drop_type : seq<kw_drop, _, kw_type, _, must<enum_type_name>> {};

struct column_path : seq<name, _, one<'.'>, _, name, opt<_, one<'.'>, _, name>> {
  static constexpr const char* expected = "a column as `table.column`";
};
// ---------------------------------------------------------------- sequences

struct kw_cache : MIG_KEYWORD("cache") {};
struct kw_cycle : MIG_KEYWORD("cycle") {};
struct kw_increment : MIG_KEYWORD("increment") {};
struct kw_maxvalue : MIG_KEYWORD("maxvalue") {};
struct kw_minvalue : MIG_KEYWORD("minvalue") {};
struct kw_none : MIG_KEYWORD("none") {};
struct kw_owned : MIG_KEYWORD("owned") {};
struct kw_restart : MIG_KEYWORD("restart") {};
struct kw_start : MIG_KEYWORD("start") {};

struct sequence_name : qualified_name {
  static constexpr const char* expected = "a sequence name";
};
struct sequence_number : seq<opt<one<'-', '+'>>, plus<digit>> {
  static constexpr const char* expected = "a whole number";
};
// smallint, integer or bigint
struct sequence_type : name {
  static constexpr const char* expected = "`smallint`, `integer` or `bigint`";
};
struct sequence_as : seq<kw_as, _, must<sequence_type>> {};
struct sequence_increment : seq<kw_increment, _, opt<kw_by, _>, must<sequence_number>> {};
struct sequence_minvalue : seq<kw_minvalue, _, must<sequence_number>> {};
struct sequence_maxvalue : seq<kw_maxvalue, _, must<sequence_number>> {};
struct sequence_no_minvalue : seq<kw_no, _, kw_minvalue> {};
struct sequence_no_maxvalue : seq<kw_no, _, kw_maxvalue> {};
struct sequence_start : seq<kw_start, _, opt<kw_with, _>, must<sequence_number>> {};
struct sequence_cache : seq<kw_cache, _, must<sequence_number>> {};
struct sequence_cycle : kw_cycle {};
struct sequence_no_cycle : seq<kw_no, _, kw_cycle> {};
struct owned_by_none : kw_none {};
struct sequence_owner : sor<owned_by_none, column_path> {
  static constexpr const char* expected = "the owning column as `table.column`, or `none`";
};
struct sequence_owned_by : seq<kw_owned, _, must<kw_by>, _, must<sequence_owner>> {};
struct sequence_option : sor<sequence_increment, sequence_minvalue, sequence_maxvalue,
                             sequence_no_minvalue, sequence_no_maxvalue, sequence_start,
                             sequence_cache, sequence_cycle, sequence_no_cycle, sequence_owned_by> {
};
struct create_sequence : seq<kw_create, _, kw_sequence, _, must<sequence_name>,
                             star<_, sor<sequence_as, sequence_option>>> {};
struct sequence_restart : seq<kw_restart, opt<_, kw_with, _, must<sequence_number>>> {};
struct alter_sequence_action : sor<sequence_restart, sequence_option> {
  static constexpr const char* expected =
      "`restart`, `increment by`, `minvalue`, `maxvalue`, `start with`, `cache`, `cycle` or "
      "`owned by`";
};
struct alter_sequence : seq<kw_alter, _, kw_sequence, _, must<sequence_name>, _,
                            must<alter_sequence_action>, star<_, alter_sequence_action>> {};
struct drop_sequence : seq<kw_drop, _, kw_sequence, _, must<sequence_name>> {};

// ---------------------------------------------------------------- policies and privileges

struct kw_grant : MIG_KEYWORD("grant") {};
struct kw_policy : MIG_KEYWORD("policy") {};
struct kw_revoke : MIG_KEYWORD("revoke") {};

struct policy_name : name {
  static constexpr const char* expected = "a policy name";
};
// `as restrictive`, `for select`, `to ROLES`, `using (...)`, `with check (...)` as in SQL.
struct policy_clauses : sql_to_line_end {};
struct create_policy : seq<kw_create, _, kw_policy, _, must<policy_name>, _, must<kw_on>, _,
                           must<table_name>, opt<_, policy_clauses>> {};
struct drop_policy
    : seq<kw_drop, _, kw_policy, _, must<policy_name>, _, must<kw_on>, _, must<table_name>> {};

struct privilege : bare_name {
  static constexpr const char* expected = "a privilege, e.g. `select` or `all`";
};
struct kw_all : MIG_KEYWORD("all") {};
struct kw_privileges : MIG_KEYWORD("privileges") {};
struct all_privileges : seq<kw_all, opt<_, kw_privileges>> {};
struct privileges
    : sor<all_privileges, seq<must<privilege>, star<_, one<','>, _, must<privilege>>>> {};
struct grant_on_schema : seq<kw_schema, _, must<schema_name>> {};
// A function named as `drop function` names it: its argument types may be left out when the
// name is unique.
struct function_signature : seq<kw_function, _, must<function_name>, opt<_, argument_types>> {};
struct grant_on_sequence : seq<kw_sequence, _, must<sequence_name>> {};
struct grant_on_table : seq<opt<kw_table, _>, must<table_name>> {};
struct kw_database : MIG_KEYWORD("database") {};
struct grant_object_not_supported : failure {
  static constexpr const char* refusal =
      "privileges on tables, views, schemas, functions and sequences are in the language; for "
      "databases write `sql { grant ... } down { revoke ... }`";
};
struct grant_on_other : seq<at<kw_database>, must<grant_object_not_supported>> {};
struct all_tables : MIG_KEYWORD("tables") {};
struct all_sequences : MIG_KEYWORD("sequences") {};
struct all_functions : MIG_KEYWORD("functions") {};
struct all_kind : sor<all_tables, all_sequences, all_functions> {
  static constexpr const char* expected = "`tables`, `sequences` or `functions`";
};
struct grant_on_all
    : seq<kw_all, _, must<all_kind>, _, must<kw_in>, _, must<kw_schema>, _, must<schema_name>> {};
struct grant_object : sor<grant_on_other, grant_on_all, grant_on_schema, function_signature,
                          grant_on_sequence, grant_on_table> {};
struct role_name : name {
  static constexpr const char* expected = "a role name (or `public`)";
};
struct role_names : seq<must<role_name>, star<_, one<','>, _, must<role_name>>> {};
struct grant
    : seq<kw_grant, _, privileges, _, must<kw_on>, _, grant_object, _, must<kw_to>, _, role_names> {
};
struct revoke : seq<kw_revoke, _, privileges, _, must<kw_on>, _, grant_object, _, must<kw_from>, _,
                    role_names> {};

// ---------------------------------------------------------------- comments

struct comment_on_table : seq<kw_table, _, must<table_name>> {};
struct comment_on_column : seq<kw_column, _, must<column_path>> {};
struct comment_on_type : seq<kw_type, _, must<enum_type_name>> {};
struct comment_on_schema : seq<kw_schema, _, must<schema_name>> {};
struct comment_on_view : seq<kw_view, _, must<view_name>> {};
struct comment_on_materialized_view : seq<kw_materialized, _, must<kw_view>, _, must<view_name>> {};
struct comment_on_index : seq<kw_index, _, must<index_name>> {};
struct comment_on_sequence : seq<kw_sequence, _, must<sequence_name>> {};
struct comment_on_constraint
    : seq<kw_constraint, _, must<constraint_name>, _, must<kw_on>, _, must<table_name>> {};
struct comment_on_trigger
    : seq<kw_trigger, _, must<trigger_name>, _, must<kw_on>, _, must<table_name>> {};
struct comment_target
    : sor<comment_on_table, comment_on_column, comment_on_type, comment_on_schema, comment_on_view,
          comment_on_materialized_view, comment_on_index, function_signature, comment_on_sequence,
          comment_on_constraint, comment_on_trigger> {
  static constexpr const char* expected =
      "`table`, `column`, `type`, `schema`, `view`, `materialized view`, `index`, `function`, "
      "`sequence`, `constraint` or `trigger`";
};
struct comment_text : sql_string {};
struct comment_null : kw_null {};
struct comment_value : sor<comment_null, comment_text> {
  static constexpr const char* expected = "the comment in single quotes, or `null`";
};
struct comment_on : seq<kw_comment, _, must<kw_on>, _, must<comment_target>, _, must<kw_is>, _,
                        must<comment_value>> {};

struct statement_kind
    : sor<create_table, create_index, alter_table, alter_index, drop_table, drop_index,
          rename_table, raw_sql, backfill, batched_delete, create_function, drop_function,
          create_trigger, drop_trigger, create_view, drop_view, create_schema, drop_schema,
          create_extension, drop_extension, create_enum, alter_type, drop_type, comment_on,
          create_policy, drop_policy, grant, revoke, create_sequence, alter_sequence, drop_sequence,
          create_materialized_view, drop_materialized_view, refresh_materialized_view, reindex> {
  static constexpr const char* expected =
      "a statement (`create table`, `alter table`, `drop table`, `rename table`, `create index`, "
      "`alter index`, `drop index`, `sql`, `backfill`, `delete from`, `create function`, `drop "
      "function`, "
      "`create trigger`, `drop trigger`, `create view`, `drop view`, `create schema`, "
      "`drop schema`, `create extension`, `drop extension`, `create type`, `alter type`, "
      "`drop type`, `comment on`, `create policy`, `drop policy`, `grant`, `revoke`, "
      "`create sequence`, `alter sequence`, `drop sequence`, `create materialized view`, "
      "`drop materialized view`, `refresh materialized view`, `reindex`)";
};
struct statement : seq<star<annotation, layout>, indentation_mark, must<statement_kind>> {};
struct end_of_file : eof {
  static constexpr const char* expected = "a statement";
};
struct file
    : seq<layout, star<not_at<eof>, statement, must<statement_end>, layout>, must<end_of_file>> {};

}  // namespace mig::grammar

// For pegtl::analyze: the custom rules consume input when they match.
template <typename Name>
struct tao::pegtl::analyze_traits<Name, mig::grammar::sql_dollar_string> : analyze_any_traits<> {};
template <typename Name>
struct tao::pegtl::analyze_traits<Name, mig::grammar::sql_block_comment> : analyze_any_traits<> {};
template <typename Name>
struct tao::pegtl::analyze_traits<Name, mig::grammar::continuation> : analyze_any_traits<> {};
template <typename Name>
struct tao::pegtl::analyze_traits<Name, mig::grammar::indentation_mark> : analyze_opt_traits<> {};
template <typename Name, typename... Rules>
struct tao::pegtl::analyze_traits<Name, mig::grammar::element<Rules...>>
    : analyze_seq_traits<Rules...> {};
