// Test doubles for the bodies Tesseract keeps in src/api/baseapi.cpp: parameters
// in a map held by a stand-in Tesseract, languages as given to Init(), a
// rectangle and a resolution as set. No image is read and nothing is recognised.
#include "tesseract.hpp"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace tesseract {

// The test double's engine: what TessBaseAPI's members read and write.
class Tesseract {
public:
    std::map<std::string, std::string> params = {
        {"tessedit_char_whitelist", ""},   {"tessedit_pageseg_mode", "6"}, {"user_defined_dpi", "0"},
        {"classify_bln_numeric_mode", "0"}, {"textord_min_xheight", "10"},  {"classify_max_rating_ratio", "1.5"},
        {"debug_file", ""},                {"classify_debug_level", "0"}};
    std::vector<std::string> loaded;
    int source_resolution = 0;
    double min_orientation_margin = 7.0;
    int adaptive_clears = 0;
};

TessBaseAPI::TessBaseAPI()
    : tesseract_(new Tesseract), osd_tesseract_(nullptr), equ_detect_(nullptr), reader_(nullptr),
      thresholder_(nullptr), paragraph_models_(nullptr), block_list_(nullptr), page_res_(nullptr),
      last_oem_requested_(OEM_DEFAULT), recognition_done_(false), rect_left_(0), rect_top_(0), rect_width_(0),
      rect_height_(0), image_width_(0), image_height_(0) {}

TessBaseAPI::~TessBaseAPI() { delete tesseract_; }

const char* TessBaseAPI::Version() { return "5.5.3"; }

void TessBaseAPI::SetInputName(const char* name) { input_file_ = name ? name : ""; }
const char* TessBaseAPI::GetInputName() { return input_file_.empty() ? nullptr : input_file_.c_str(); }
int TessBaseAPI::GetSourceYResolution() { return tesseract_->source_resolution; }
const char* TessBaseAPI::GetDatapath() { return datapath_.c_str(); }
void TessBaseAPI::SetOutputName(const char* name) { output_file_ = name ? name : ""; }

bool TessBaseAPI::SetVariable(const char* name, const char* value) {
    auto found = tesseract_->params.find(name);
    if (found == tesseract_->params.end()) return false;
    found->second = value;
    return true;
}

bool TessBaseAPI::SetDebugVariable(const char* name, const char* value) {
    return std::strstr(name, "debug") != nullptr && SetVariable(name, value);
}

namespace {
bool parse(const std::string& text, long& out) {
    char* end = nullptr;
    out = std::strtol(text.c_str(), &end, 10);
    return !text.empty() && *end == '\0';
}
}  // namespace

bool TessBaseAPI::GetIntVariable(const char* name, int* value) const {
    auto found = tesseract_->params.find(name);
    long n = 0;
    if (found == tesseract_->params.end() || !parse(found->second, n)) return false;
    *value = static_cast<int>(n);
    return true;
}

bool TessBaseAPI::GetBoolVariable(const char* name, bool* value) const {
    auto found = tesseract_->params.find(name);
    if (found == tesseract_->params.end() || (found->second != "0" && found->second != "1")) return false;
    *value = found->second == "1";
    return true;
}

bool TessBaseAPI::GetDoubleVariable(const char* name, double* value) const {
    auto found = tesseract_->params.find(name);
    if (found == tesseract_->params.end() || found->second.empty()) return false;
    *value = std::strtod(found->second.c_str(), nullptr);
    return true;
}

const char* TessBaseAPI::GetStringVariable(const char* name) const {
    auto found = tesseract_->params.find(name);
    return found == tesseract_->params.end() ? nullptr : found->second.c_str();
}

void TessBaseAPI::PrintFontsTable(FILE*) const {}
void TessBaseAPI::PrintVariables(FILE* fp) const {
    for (const auto& [name, value] : tesseract_->params) std::fprintf(fp, "%s\t%s\n", name.c_str(), value.c_str());
}

bool TessBaseAPI::GetVariableAsString(const char* name, std::string* val) const {
    auto found = tesseract_->params.find(name);
    if (found == tesseract_->params.end()) return false;
    *val = found->second;
    return true;
}

int TessBaseAPI::Init(const char* datapath, const char* language, OcrEngineMode mode, char** /*configs*/,
                      int /*configs_size*/, const std::vector<std::string>* vars_vec,
                      const std::vector<std::string>* vars_values, bool /*set_only_non_debug_params*/) {
    const std::string languages = language ? language : "eng";
    std::vector<std::string> loaded;
    std::istringstream parts(languages);
    for (std::string part; std::getline(parts, part, '+');) {
        if (part != "eng" && part != "deu" && part != "osd") return -1;  // no traineddata for it
        loaded.push_back(part);
    }
    datapath_ = datapath ? datapath : "/usr/share/tesseract-ocr/5/tessdata";
    language_ = languages;
    last_oem_requested_ = mode;
    tesseract_->loaded = loaded;
    if (vars_vec && vars_values)
        for (size_t i = 0; i < vars_vec->size() && i < vars_values->size(); ++i)
            SetVariable((*vars_vec)[i].c_str(), (*vars_values)[i].c_str());
    return 0;
}

int TessBaseAPI::Init(const char*, int, const char*, OcrEngineMode, char**, int, const std::vector<std::string>*,
                      const std::vector<std::string>*, bool, FileReader) {
    return -1;  // loading traineddata from memory: not in this test double
}

const char* TessBaseAPI::GetInitLanguagesAsString() const { return language_.c_str(); }

void TessBaseAPI::GetLoadedLanguagesAsVector(std::vector<std::string>* langs) const { *langs = tesseract_->loaded; }

void TessBaseAPI::GetAvailableLanguagesAsVector(std::vector<std::string>* langs) const {
    *langs = {"deu", "eng", "osd"};
}

void TessBaseAPI::InitForAnalysePage() { language_.clear(); }

void TessBaseAPI::ReadConfigFile(const char* filename) {
    std::ifstream in(filename);
    std::string name, value;
    while (in >> name >> value)
        if (name.find("debug") == std::string::npos) SetVariable(name.c_str(), value.c_str());
}

void TessBaseAPI::ReadDebugConfigFile(const char* filename) {
    std::ifstream in(filename);
    std::string name, value;
    while (in >> name >> value) SetDebugVariable(name.c_str(), value.c_str());
}

void TessBaseAPI::SetPageSegMode(PageSegMode mode) { tesseract_->params["tessedit_pageseg_mode"] = std::to_string(mode); }

PageSegMode TessBaseAPI::GetPageSegMode() const {
    return static_cast<PageSegMode>(std::atoi(tesseract_->params["tessedit_pageseg_mode"].c_str()));
}

void TessBaseAPI::ClearAdaptiveClassifier() { ++tesseract_->adaptive_clears; }
void TessBaseAPI::SetSourceResolution(int ppi) { tesseract_->source_resolution = ppi; }

void TessBaseAPI::SetRectangle(int left, int top, int width, int height) {
    rect_left_ = left;
    rect_top_ = top;
    rect_width_ = width;
    rect_height_ = height;
    recognition_done_ = false;
}

float TessBaseAPI::GetGradient() { return 0.25f; }
int TessBaseAPI::GetThresholdedImageScaleFactor() const { return 1; }
int TessBaseAPI::MeanTextConf() { return rect_width_ > 0 ? 87 : 0; }

bool TessBaseAPI::AdaptToWordStr(PageSegMode mode, const char* wordstr) {
    return mode != PSM_OSD_ONLY && wordstr != nullptr && *wordstr != '\0';
}

void TessBaseAPI::Clear() { recognition_done_ = false; }

void TessBaseAPI::End() {
    Clear();
    datapath_.clear();
    language_.clear();
    tesseract_->loaded.clear();
}

int TessBaseAPI::IsValidWord(const char* word) const {
    return std::strcmp(word, "hello") == 0 || std::strcmp(word, "world") == 0;
}

bool TessBaseAPI::IsValidCharacter(const char* utf8_character) const {
    return std::strlen(utf8_character) == 1 && std::isalnum(static_cast<unsigned char>(utf8_character[0]));
}

bool TessBaseAPI::GetTextDirection(int* out_offset, float* out_slope) {
    if (rect_height_ == 0) return false;
    *out_offset = rect_top_ + rect_height_ / 2;
    *out_slope = 0.5f;
    return true;
}

const char* TessBaseAPI::GetUnichar(int unichar_id) const {
    static const char* const unichars[] = {" ", "Joined", "|Broken|0|1", "a", "b", "c"};
    return unichar_id >= 0 && unichar_id < 6 ? unichars[unichar_id] : nullptr;
}

int TessBaseAPI::NumDawgs() const { return static_cast<int>(tesseract_->loaded.size()) * 3; }

bool TessBaseAPI::Threshold(Pix**) { return false; }  // no image in this test double

void TessBaseAPI::set_min_orientation_margin(double margin) { tesseract_->min_orientation_margin = margin; }

}  // namespace tesseract
