// A small Dear ImGui app on SDL2 (software renderer: runs under Xvfb) with
// state a user would hate to lose: a text field, a counter, a list with a
// selection and a scroll position. hotast watch patches it while it runs
// (utils/demo-ui.sh, test/reload/ui.test).
//
// usage: ui CONTROL_FIFO OUTPUT_FILE
// Commands, one a line on CONTROL_FIFO (the tests and the demo drive the app
// with them, as a user's keyboard and mouse would):
//   type TEXT      append TEXT to the text field
//   click          press the "Add" button (the counter)
//   select N       select list item N
//   scroll PIXELS  scroll the list to PIXELS
//   state          print the state as it is in the app's variables
//   pixels         print the mean colour of the title's pixels on screen
//   shot FILE      write what is on screen to FILE (PNG)
//   quit
// Its form survives a restart (hotast watch --rebuild): hotast_rt_on_snapshot
// and hotast_rt_restore.
#include "hotast/rt.h"
#include "imgui.h"
#include "imgui_impl_sdl.h"
#include "imgui_impl_sdlrenderer.h"
#include <SDL.h>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int stbi_write_png(const char *, int, int, int, const void *, int);

struct Form {
  char text[128] = "";
  int counter = 0;
  int selected = -1;
  float scroll = 0;
  bool setScroll = false;
};

Form form;
std::mutex formLock; // the runtime's thread takes snapshots of the form
std::vector<std::string> items;

// The form survives a restart (an edit hotast cannot patch, such as a field
// added to Form): saved as text, so that a changed layout reads it back.
int saveForm(void *, const void **Data, size_t *Size) {
  static std::string Text;
  std::lock_guard<std::mutex> L(formLock);
  Text = "text=" + std::string(form.text) + "\ncounter=" + std::to_string(form.counter) +
         "\nselected=" + std::to_string(form.selected) +
         "\nscroll=" + std::to_string(form.scroll) + "\n";
  *Data = Text.data();
  *Size = Text.size();
  return 0;
}

int restoreForm(void *, const void *Data, size_t Size) {
  std::string Text(static_cast<const char *>(Data), Size);
  for (size_t At = 0, Nl; (Nl = Text.find('\n', At)) != std::string::npos; At = Nl + 1) {
    std::string Line = Text.substr(At, Nl - At), Key = Line.substr(0, Line.find('='));
    std::string Value = Line.substr(Key.size() + 1);
    if (Key == "text")
      std::snprintf(form.text, sizeof form.text, "%s", Value.c_str());
    else if (Key == "counter")
      form.counter = std::atoi(Value.c_str());
    else if (Key == "selected")
      form.selected = std::atoi(Value.c_str());
    else if (Key == "scroll")
      form.scroll = float(std::atof(Value.c_str())), form.setScroll = true;
  }
  return 0;
}
ImVec2 titleMin, titleMax;

// The title: the function the demo edits (its label and its colour).
void drawTitle() { ImGui::TextColored(ImVec4(0.2f, 0.9f, 0.2f, 1.0f), "Inventory"); }

void drawForm() {
  drawTitle();
  titleMin = ImGui::GetItemRectMin();
  titleMax = ImGui::GetItemRectMax();
  ImGui::InputText("Name", form.text, sizeof form.text);
  if (ImGui::Button("Add"))
    form.counter++;
  ImGui::SameLine();
  ImGui::Text("Added %d", form.counter);
  ImGui::BeginChild("list", ImVec2(0, 150), true);
  for (int i = 0; i < int(items.size()); i++)
    if (ImGui::Selectable(items[i].c_str(), form.selected == i))
      form.selected = i;
  if (form.setScroll) {
    ImGui::SetScrollY(form.scroll);
    form.setScroll = false;
  }
  form.scroll = ImGui::GetScrollY();
  ImGui::EndChild();
}

struct Control {
  int Fd = -1;
  std::string Pending;
  FILE *Out = nullptr;
  bool ClickNext = false;
};

void command(Control &C, SDL_Renderer *R, const std::string &Line) {
  if (Line.rfind("type ", 0) == 0)
    std::strncat(form.text, Line.c_str() + 5, sizeof form.text - std::strlen(form.text) - 1);
  else if (Line == "click")
    form.counter++;
  else if (Line.rfind("select ", 0) == 0)
    form.selected = std::atoi(Line.c_str() + 7);
  else if (Line.rfind("scroll ", 0) == 0) {
    form.scroll = float(std::atof(Line.c_str() + 7));
    form.setScroll = true;
  } else if (Line == "state")
    std::fprintf(C.Out, "state text=%s counter=%d selected=%d scroll=%.0f\n", form.text,
                 form.counter, form.selected, form.scroll);
  else if (Line == "pixels" || Line.rfind("shot ", 0) == 0) {
    int W = 0, H = 0;
    SDL_GetRendererOutputSize(R, &W, &H);
    std::vector<unsigned char> Px(size_t(W) * H * 4);
    SDL_RenderReadPixels(R, nullptr, SDL_PIXELFORMAT_ABGR8888, Px.data(), W * 4);
    if (Line == "pixels") {
      // The mean colour of the title's bright pixels (its glyphs).
      long Sum[3] = {0, 0, 0}, N = 0;
      for (int Y = int(titleMin.y); Y < int(titleMax.y) && Y < H; Y++)
        for (int X = int(titleMin.x); X < int(titleMax.x) && X < W; X++) {
          unsigned char *P = &Px[(size_t(Y) * W + X) * 4];
          if (P[0] + P[1] + P[2] < 150)
            continue;
          Sum[0] += P[0], Sum[1] += P[1], Sum[2] += P[2], N++;
        }
      long Mean[3] = {N ? Sum[0] / N : 0, N ? Sum[1] / N : 0, N ? Sum[2] / N : 0};
      const char *Dominant = Mean[0] > Mean[1] && Mean[0] > Mean[2]   ? "red"
                             : Mean[1] > Mean[0] && Mean[1] > Mean[2] ? "green"
                                                                      : "blue";
      std::fprintf(C.Out, "pixels title=%ld,%ld,%ld %s glyph_pixels=%ld\n", Mean[0], Mean[1],
                   Mean[2], Dominant, N);
    } else {
      stbi_write_png(Line.c_str() + 5, W, H, 4, Px.data(), W * 4);
      std::fprintf(C.Out, "shot %s\n", Line.c_str() + 5);
    }
  } else if (Line == "quit")
    std::exit(0);
  std::fflush(C.Out);
}

void poll(Control &C, SDL_Renderer *R) {
  char Buf[512];
  ssize_t N;
  while ((N = ::read(C.Fd, Buf, sizeof Buf)) > 0)
    C.Pending.append(Buf, size_t(N));
  for (size_t Nl; (Nl = C.Pending.find('\n')) != std::string::npos;) {
    std::string Line = C.Pending.substr(0, Nl);
    C.Pending.erase(0, Nl + 1);
    command(C, R, Line);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: ui CONTROL_FIFO OUTPUT_FILE\n");
    return 2;
  }
  Control C;
  C.Fd = ::open(argv[1], O_RDWR | O_NONBLOCK); // RDWR: never EOF between writers
  C.Out = std::fopen(argv[2], "w");
  if (C.Fd < 0 || !C.Out || SDL_Init(SDL_INIT_VIDEO) != 0) {
    std::fprintf(stderr, "ui: cannot start: %s\n", SDL_GetError());
    return 1;
  }
  for (int i = 0; i < 40; i++)
    items.push_back("item " + std::to_string(i));
  hotast_rt_on_snapshot(saveForm, nullptr);
  int Restored = hotast_rt_restore(restoreForm, nullptr);
  SDL_Window *W = SDL_CreateWindow("hotast ui", 0, 0, 480, 320, 0);
  SDL_Renderer *R = SDL_CreateRenderer(W, -1, SDL_RENDERER_SOFTWARE);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplSDL2_InitForSDLRenderer(W);
  ImGui_ImplSDLRenderer_Init(R);
  std::fprintf(C.Out, "ready restored=%d\n", Restored == 1);
  std::fflush(C.Out);
  for (;;) {
    std::unique_lock<std::mutex> L(formLock);
    SDL_Event E;
    while (SDL_PollEvent(&E))
      if (E.type == SDL_QUIT)
        return 0;
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(480, 320));
    ImGui::Begin("form", nullptr, ImGuiWindowFlags_NoDecoration);
    drawForm();
    ImGui::End();
    ImGui::Render();
    SDL_SetRenderDrawColor(R, 30, 30, 40, 255);
    SDL_RenderClear(R);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    poll(C, R); // reads back what was just drawn
    L.unlock();
    SDL_RenderPresent(R);
    SDL_Delay(16);
  }
}
