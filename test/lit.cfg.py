# lit configuration for hotast's behaviour tests: one behaviour per file,
# RUN lines on top, inputs split out of the test file with split-file.
import os
import lit.formats

config.name = "hotast"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".test", ".cpp", ".c"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hotast_bin_dir, "..", "test")

config.environment["PATH"] = os.pathsep.join(
    [config.hotast_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Keep hotast's and clang's output stable: no colours, C locale.
config.environment["LC_ALL"] = "C"
config.environment["TERM"] = "dumb"

config.substitutions.append(("%hotast", os.path.join(config.hotast_bin_dir, "hotast")))
config.substitutions.append(("%clang", config.hotast_clang))
config.substitutions.append(("%reloadtest", "python3 " + os.path.join(
    config.test_source_root, "..", "utils", "reloadtest")))
config.substitutions.append(("%plancheck", "python3 " + os.path.join(
    config.test_source_root, "..", "utils", "plancheck")))
config.substitutions.append(("%checkstoredocs", "python3 " + os.path.join(
    config.test_source_root, "..", "utils", "check-store-docs")))
config.substitutions.append(("%store_cpp", os.path.join(
    config.test_source_root, "..", "lib", "Store", "Store.cpp")))
config.substitutions.append(("%redisrun", "python3 " + os.path.join(
    config.test_source_root, "..", "utils", "redisrun")))
config.substitutions.append(("%decisionlog", "python3 " + os.path.join(
    config.test_source_root, "..", "utils", "hotastlib", "decisionlog.py")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
# Each test's inputs are written a second into the past (Inputs/split-file-aged
# says why).
config.substitutions.append((r"\bsplit-file\b", "sh " + os.path.join(
    config.test_source_root, "Inputs", "split-file-aged")))

# The UI example needs Xvfb, Dear ImGui and SDL2 (utils/deps.sh installs
# them; utils/check.sh fails when they are missing rather than skip).
import shutil
if (shutil.which("xvfb-run") and os.path.exists("/usr/include/imgui/imgui.h")
        and os.path.exists("/usr/include/SDL2/SDL.h")):
    config.available_features.add("ui")
