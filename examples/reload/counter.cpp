// A small program with state for the hot-reload demo (utils/demo.sh): a
// counter, a list, and a form-like record, printed once a tick.
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

struct Form {
  std::string name = "Ada";
  int age = 36;
};

Form form;
std::vector<int> history;
int ticks;

std::string greet(const Form &f) { return "hello " + f.name; }

void tick() {
  history.push_back(++ticks);
  std::printf("tick %d: %s (age %d), %zu entries\n", ticks, greet(form).c_str(), form.age,
              history.size());
  std::fflush(stdout);
}

int main() {
  for (int i = 0; i < 3000; i++) {
    tick();
    usleep(100000);
  }
}
