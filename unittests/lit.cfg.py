# Runs the GoogleTest binaries in this directory as lit tests.
import lit.formats
config.name = "hotast-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.test_exec_root = __file__.rsplit("/", 1)[0]
