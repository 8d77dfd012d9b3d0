#include "cli/lint_output.hpp"

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/lint_markdown.hpp"
#include "compiler/lint/registry.hpp"

namespace mig::cli {

using nlohmann::json;

namespace {

// A relative file path as a URI reference (RFC 3986): unreserved characters and `/` as
// they are, everything else percent-encoded.
std::string uri_reference(std::string_view path) {
  std::string out;
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
      out += c;
    else
      out += fmt::format("%{:02X}", u);
  }
  return out;
}

struct Place {
  std::string file;
  LineColumn begin, end;
};

Place place_of(const Diagnostic& d) {
  if (!d.file) return {};
  return {d.file->path(), d.file->position(d.span.begin),
          d.file->position(std::max(d.span.end, d.span.begin + 1))};
}

std::string_view level(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

constexpr std::string_view kCompileError = "compile-error";

// GitHub workflow commands escape %, CR and LF in data, and also : and , in properties.
std::string github_escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

// Stands for the streamed array's one element in a document dumped around it.
constexpr std::string_view kMarker = "\"mig:streamed-array\"";

}  // namespace

LintWriter::LintWriter(LintFormat format, std::ostream& out, const OutputOptions& options)
    : format_(format), out_(out), color_(options.color) {
  if (format_ != LintFormat::Sarif) return;
  // Every result points at a rule of the driver (ruleIndex), so code-scanning UIs can show
  // its page: the registered rules, then the two ids the engine reports itself.
  rules_ = json::array();
  const auto add_rule = [&](std::string_view id, std::string_view summary, Severity severity,
                            std::string_view doc) {
    rule_index_.emplace(id, rules_.size());
    json rule = {{"id", id},
                 {"shortDescription", {{"text", summary}}},
                 {"defaultConfiguration", {{"level", level(severity)}}}};
    if (!doc.empty()) rule["help"] = {{"text", doc}, {"markdown", doc}};
    rules_.push_back(rule);
  };
  for (const auto& r : all_rules())
    add_rule(r->id(), r->summary(), r->severity(), rule_doc(r->id()));
  add_rule(kUnusedAllow, "an `@allow` that suppresses nothing, or names no rule", Severity::Warning,
           {});
  add_rule(kCompileError, "a migration that does not compile", Severity::Error, {});
}

json LintWriter::document(bool empty) const {
  const auto array = empty ? json::array() : json::array({json::parse(kMarker)});
  if (format_ == LintFormat::Json)
    return {{"version", 1},
            {"findings", array},
            {"summary", {{"errors", errors_}, {"warnings", warnings_}}}};
  json driver = {{"name", "mig"}, {"version", MIG_VERSION}, {"rules", rules_}};
  json run = {{"tool", {{"driver", driver}}}, {"results", array}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({run})}};
}

void LintWriter::add_element(const json& element) {
  if (!started_) {
    // What comes before the array does not depend on what is in it.
    const auto text = document(false).dump(2);
    const auto line = text.rfind('\n', text.find(kMarker)) + 1;
    indent_ = std::string(text.find(kMarker) - line, ' ');
    out_ << std::string_view(text).substr(0, line);
    started_ = true;
  } else {
    out_ << ",\n";
  }
  // A dumped string has its line breaks escaped: every one here is the layout's.
  auto text = element.dump(2);
  for (auto at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1))
    text.insert(at + 1, indent_);
  out_ << indent_ << text;
}

void LintWriter::add(const Diagnostic& d, const Fix* fix) {
  errors_ += d.severity == Severity::Error;
  warnings_ += d.severity == Severity::Warning;
  if (format_ == LintFormat::Text) {
    out_ << render(d, color_);
    return;
  }
  const auto p = place_of(d);
  const auto message = d.help.empty() ? d.message : d.message + "\n" + d.help;
  switch (format_) {
    case LintFormat::Github: {
      const auto kind = d.severity == Severity::Note ? "notice" : level(d.severity);
      out_ << fmt::format(
          "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", kind,
          github_escape(p.file, true), p.begin.line, p.begin.column, p.end.line, p.end.column,
          github_escape(d.rule.empty() ? "mig" : d.rule, true), github_escape(message, false));
      return;
    }
    case LintFormat::Json: {
      json fix_json = nullptr;
      if (fix) {
        fix_json = {{"description", fix->description}};
        if (!fix->new_file.empty()) fix_json["new_file"] = fix->new_file;
      }
      add_element({{"file", p.file},
                   {"line", p.begin.line},
                   {"column", p.begin.column},
                   {"end_line", p.end.line},
                   {"end_column", p.end.column},
                   {"severity", level(d.severity)},
                   {"rule", d.rule.empty() ? json(nullptr) : json(d.rule)},
                   {"message", d.message},
                   {"help", d.help},
                   {"fix", fix_json}});
      return;
    }
    case LintFormat::Sarif: {
      const std::string id = d.rule.empty() ? std::string(kCompileError) : d.rule;
      json r = {{"ruleId", id}, {"level", level(d.severity)}, {"message", {{"text", message}}}};
      if (const auto i = rule_index_.find(id); i != rule_index_.end()) r["ruleIndex"] = i->second;
      if (d.file) {
        json region = {{"startLine", p.begin.line},
                       {"startColumn", p.begin.column},
                       {"endLine", p.end.line},
                       {"endColumn", p.end.column}};
        json physical = {{"artifactLocation", {{"uri", uri_reference(p.file)}}},
                         {"region", region}};
        r["locations"] = json::array({json{{"physicalLocation", physical}}});
      }
      add_element(r);
      return;
    }
    case LintFormat::Text:
    case LintFormat::Markdown:
      throw std::logic_error("not written element by element");
  }
}

void LintWriter::add(const Finding& f) { add(to_diagnostic(f), f.fix ? &*f.fix : nullptr); }

void LintWriter::finish() {
  if (format_ == LintFormat::Text)
    out_ << fmt::format("{} error(s), {} warning(s)\n", errors_, warnings_);
  if (format_ != LintFormat::Json && format_ != LintFormat::Sarif) return;
  const auto text = document(!started_).dump(2);
  const auto marker = text.find(kMarker);
  out_ << (started_ ? std::string_view(text).substr(marker + kMarker.size()) : text) << "\n";
}

void write_lint_result(const LintResult& result, LintFormat format, std::ostream& out,
                       const OutputOptions& options) {
  if (format == LintFormat::Markdown) return write_markdown(result, options.reported, out);
  // A compile error or finding of no file, or of a file that is no migration, goes first.
  std::map<const SourceFile*, std::size_t> rank;
  for (const auto* list : {&result.compilation.migrations, &result.sql_migrations})
    for (const auto& m : *list) rank.emplace(m.source.get(), rank.size() + 1);
  const auto rank_of = [&](const SourceFile* file) {
    const auto at = rank.find(file);
    return at == rank.end() ? 0 : at->second;
  };
  struct Entry {
    std::size_t rank;
    const Diagnostic* diagnostic;
    const Finding* finding;
  };
  std::vector<Entry> entries;
  for (const auto& d : result.compilation.diagnostics) entries.push_back({rank_of(d.file), &d, {}});
  for (const auto& f : result.findings) entries.push_back({rank_of(f.file), {}, &f});
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.rank < b.rank; });
  LintWriter writer(format, out, options);
  for (const auto& e : entries) e.diagnostic ? writer.add(*e.diagnostic) : writer.add(*e.finding);
  writer.finish();
}

}  // namespace mig::cli
