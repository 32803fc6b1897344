#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"flinksim: a deterministic simulator of Apache Flink's fault tolerance"};
  CLI11_PARSE(app, argc, argv);
  return 0;
}
