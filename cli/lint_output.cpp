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

// Compile errors and findings alike, in one list; a finding's fix alongside.
struct Entry {
  Diagnostic diagnostic;
  const Fix* fix = nullptr;
};

std::vector<Entry> all_entries(const LintResult& result) {
  std::vector<Entry> out;
  for (const auto& d : result.compilation.diagnostics) out.push_back({d});
  for (const auto& f : result.findings)
    out.push_back({to_diagnostic(f), f.fix ? &*f.fix : nullptr});
  return out;
}

std::vector<Diagnostic> all_diagnostics(const LintResult& result) {
  std::vector<Diagnostic> out;
  for (auto& e : all_entries(result)) out.push_back(std::move(e.diagnostic));
  return out;
}

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

void write_text(const LintResult& result, std::ostream& out, bool color) {
  int errors = 0, warnings = 0;
  for (const auto& d : all_diagnostics(result)) {
    out << render(d, color);
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  out << fmt::format("{} error(s), {} warning(s)\n", errors, warnings);
}

void write_json(const LintResult& result, std::ostream& out) {
  json findings = json::array();
  int errors = 0, warnings = 0;
  for (const auto& [d, fix] : all_entries(result)) {
    const auto p = place_of(d);
    json fix_json = nullptr;
    if (fix) {
      fix_json = {{"description", fix->description}};
      if (!fix->new_file.empty()) fix_json["new_file"] = fix->new_file;
    }
    findings.push_back({{"file", p.file},
                        {"line", p.begin.line},
                        {"column", p.begin.column},
                        {"end_line", p.end.line},
                        {"end_column", p.end.column},
                        {"severity", level(d.severity)},
                        {"rule", d.rule.empty() ? json(nullptr) : json(d.rule)},
                        {"message", d.message},
                        {"help", d.help},
                        {"fix", fix_json}});
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  out << json{{"version", 1},
              {"findings", findings},
              {"summary", {{"errors", errors}, {"warnings", warnings}}}}
             .dump(2)
      << "\n";
}

constexpr std::string_view kCompileError = "compile-error";

void write_sarif(const LintResult& result, std::ostream& out) {
  // Every result points at a rule of the driver (ruleIndex), so code-scanning UIs can show
  // its page: the registered rules, then the two ids the engine reports itself.
  json rules = json::array();
  std::map<std::string, std::size_t, std::less<>> index;
  const auto add_rule = [&](std::string_view id, std::string_view summary, Severity severity,
                            std::string_view doc) {
    index.emplace(id, rules.size());
    json rule = {{"id", id},
                 {"shortDescription", {{"text", summary}}},
                 {"defaultConfiguration", {{"level", level(severity)}}}};
    if (!doc.empty()) rule["help"] = {{"text", doc}, {"markdown", doc}};
    rules.push_back(rule);
  };
  for (const auto& r : all_rules())
    add_rule(r->id(), r->summary(), r->severity(), rule_doc(r->id()));
  add_rule(kUnusedAllow, "an `@allow` that suppresses nothing, or names no rule", Severity::Warning,
           {});
  add_rule(kCompileError, "a migration that does not compile", Severity::Error, {});
  json results = json::array();
  for (const auto& d : all_diagnostics(result)) {
    const auto p = place_of(d);
    const std::string id = d.rule.empty() ? std::string(kCompileError) : d.rule;
    json r = {{"ruleId", id},
              {"level", level(d.severity)},
              {"message", {{"text", d.help.empty() ? d.message : d.message + "\n" + d.help}}}};
    if (const auto i = index.find(id); i != index.end()) r["ruleIndex"] = i->second;
    if (d.file) {
      json region = {{"startLine", p.begin.line},
                     {"startColumn", p.begin.column},
                     {"endLine", p.end.line},
                     {"endColumn", p.end.column}};
      json physical = {{"artifactLocation", {{"uri", uri_reference(p.file)}}}, {"region", region}};
      r["locations"] = json::array({json{{"physicalLocation", physical}}});
    }
    results.push_back(r);
  }
  json driver = {{"name", "mig"}, {"version", MIG_VERSION}, {"rules", rules}};
  json run = {{"tool", {{"driver", driver}}}, {"results", results}};
  const json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                      {"version", "2.1.0"},
                      {"runs", json::array({run})}};
  out << sarif.dump(2) << "\n";
}

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

void write_github(const LintResult& result, std::ostream& out) {
  for (const auto& d : all_diagnostics(result)) {
    const auto p = place_of(d);
    const auto kind = d.severity == Severity::Note ? "notice" : level(d.severity);
    const auto message = d.help.empty() ? d.message : d.message + "\n" + d.help;
    out << fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", kind,
                       github_escape(p.file, true), p.begin.line, p.begin.column, p.end.line,
                       p.end.column, github_escape(d.rule.empty() ? "mig" : d.rule, true),
                       github_escape(message, false));
  }
}

}  // namespace

void write_lint_result(const LintResult& result, LintFormat format, std::ostream& out,
                       const OutputOptions& options) {
  switch (format) {
    case LintFormat::Text:
      return write_text(result, out, options.color);
    case LintFormat::Json:
      return write_json(result, out);
    case LintFormat::Sarif:
      return write_sarif(result, out);
    case LintFormat::Github:
      return write_github(result, out);
    case LintFormat::Markdown:
      return write_markdown(result, options.reported, out);
  }
}

}  // namespace mig::cli
