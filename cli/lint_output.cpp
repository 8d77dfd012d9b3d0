#include "cli/lint_output.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

#include "compiler/lint/registry.hpp"

namespace mig::cli {

using nlohmann::json;

namespace {

// Compile errors and findings alike, in one list.
std::vector<Diagnostic> all_diagnostics(const LintResult& result) {
  std::vector<Diagnostic> out = result.compilation.diagnostics;
  for (const auto& f : result.findings) out.push_back(to_diagnostic(f));
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
  for (const auto& d : all_diagnostics(result)) {
    const auto p = place_of(d);
    findings.push_back({{"file", p.file},
                        {"line", p.begin.line},
                        {"column", p.begin.column},
                        {"end_line", p.end.line},
                        {"end_column", p.end.column},
                        {"severity", level(d.severity)},
                        {"rule", d.rule.empty() ? json(nullptr) : json(d.rule)},
                        {"message", d.message},
                        {"help", d.help}});
  }
  out << json{{"version", 1}, {"findings", findings}}.dump(2) << "\n";
}

void write_sarif(const LintResult& result, std::ostream& out) {
  json rules = json::array();
  for (const auto& r : all_rules())
    rules.push_back({{"id", r->id()},
                     {"shortDescription", {{"text", r->summary()}}},
                     {"help", {{"text", rule_doc(r->id())}, {"markdown", rule_doc(r->id())}}},
                     {"defaultConfiguration", {{"level", level(r->severity())}}}});
  json results = json::array();
  for (const auto& d : all_diagnostics(result)) {
    const auto p = place_of(d);
    json r = {{"ruleId", d.rule.empty() ? "compile-error" : d.rule},
              {"level", level(d.severity)},
              {"message", {{"text", d.help.empty() ? d.message : d.message + "\n" + d.help}}}};
    if (d.file) {
      json region = {{"startLine", p.begin.line},
                     {"startColumn", p.begin.column},
                     {"endLine", p.end.line},
                     {"endColumn", p.end.column}};
      json physical = {{"artifactLocation", {{"uri", p.file}}}, {"region", region}};
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

void write_lint_result(const LintResult& result, LintFormat format, std::ostream& out, bool color) {
  switch (format) {
    case LintFormat::Text:
      return write_text(result, out, color);
    case LintFormat::Json:
      return write_json(result, out);
    case LintFormat::Sarif:
      return write_sarif(result, out);
    case LintFormat::Github:
      return write_github(result, out);
  }
}

}  // namespace mig::cli
