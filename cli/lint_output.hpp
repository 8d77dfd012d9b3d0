#pragma once

// `mig lint` findings as text for people, as a markdown report for pull request comments,
// or as JSON, SARIF 2.1.0 and GitHub workflow annotations for machines.

#include <functional>
#include <iosfwd>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "compiler/lint/linter.hpp"

namespace mig::cli {

enum class LintFormat { Text, Json, Sarif, Github, Markdown };

struct OutputOptions {
  bool color = false;  // text only
  // The migrations and .sql files the markdown report shows; empty: all that were linted.
  std::function<bool(const SourceFile&)> reported;
};

// Writes compile errors and findings as they come, in any format but markdown (which shows
// each migration's statements): nothing is kept but the counts the summary needs.
class LintWriter {
 public:
  LintWriter(LintFormat, std::ostream&, const OutputOptions&);
  void add(const Diagnostic&, const Fix* = nullptr);
  void add(const Finding&);
  void finish();  // the summary and the end of the document

  int errors() const { return errors_; }
  int warnings() const { return warnings_; }

 private:
  void add_element(const nlohmann::json&);
  // The document with the streamed array replaced by one marker element, with the counts
  // so far (JSON's summary, which comes after its findings, is written last).
  nlohmann::json document(bool empty) const;

  LintFormat format_;
  std::ostream& out_;
  bool color_;
  int errors_ = 0, warnings_ = 0;
  bool started_ = false;
  std::string indent_;                                          // of the array's elements
  std::map<std::string, std::size_t, std::less<>> rule_index_;  // SARIF
  nlohmann::json rules_;                                        // SARIF
};

// The whole result, each file's compile errors and findings together, in file order.
void write_lint_result(const LintResult&, LintFormat, std::ostream&, const OutputOptions&);

}  // namespace mig::cli
