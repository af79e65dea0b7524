// Tesseract's TessBaseAPI served by a forked child, called from the parent
// through its generated proxy: Init() and its languages (an in-out
// std::vector<std::string>*), parameters read through in-out int*, bool*, double*
// and std::string* pointers, const char* arguments and results (null crossing as
// null), the PageSegMode enum.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corpus_support.hpp"
#include "tesseract.hpp"
#include "tesseract.remote.hpp"

using tesseract::TessBaseAPI;

namespace {

corpus::Served<TessBaseAPI> served_api() {
    return corpus::Served<TessBaseAPI>(
        "tesseract", [] { return std::make_unique<TessBaseAPI>(); },
        [](TessBaseAPI& api) { return static_cast<int>(api.GetPageSegMode()); });
}

}  // namespace

TEST_CASE("Tesseract TessBaseAPI: Init in the child, its languages read through an in-out vector pointer") {
    auto served = served_api();
    auto api = served.proxy();
    CHECK(api.Init("/data/tessdata", "eng+xyz") == -1);          // no traineddata for xyz
    CHECK(api.Init("/data/tessdata", "eng+deu", tesseract::OEM_LSTM_ONLY) == 0);
    CHECK(api.GetInitLanguagesAsString() == std::optional<std::string>("eng+deu"));
    CHECK(api.GetDatapath() == std::optional<std::string>("/data/tessdata"));
    CHECK(api.oem() == tesseract::OEM_LSTM_ONLY);

    std::vector<std::string> langs{"stale"};
    api.GetLoadedLanguagesAsVector(&langs);                       // written back into the caller's vector
    CHECK(langs == std::vector<std::string>{"eng", "deu"});
    api.GetAvailableLanguagesAsVector(&langs);
    CHECK(langs == std::vector<std::string>{"deu", "eng", "osd"});
    CHECK(api.NumDawgs() == 6);

    CHECK_FALSE(api.GetInputName());                              // a null const char* crosses as null
    api.SetInputName("page-1.png");
    CHECK(api.GetInputName() == std::optional<std::string>("page-1.png"));
    api.End();
    CHECK(api.GetInitLanguagesAsString() == std::optional<std::string>(""));
    CHECK(served.join() == tesseract::PSM_SINGLE_BLOCK);
}

TEST_CASE("Tesseract TessBaseAPI: parameters set by name and read back through in-out pointers") {
    auto served = served_api();
    auto api = served.proxy();
    CHECK(api.SetVariable("tessedit_char_whitelist", "ABC123"));
    CHECK_FALSE(api.SetVariable("no_such_parameter", "1"));
    CHECK(api.SetVariable("user_defined_dpi", "300"));
    CHECK(api.SetVariable("classify_bln_numeric_mode", "1"));
    CHECK_FALSE(api.SetDebugVariable("user_defined_dpi", "1"));  // not a debug parameter
    CHECK(api.SetDebugVariable("classify_debug_level", "2"));

    int dpi = -1;
    CHECK(api.GetIntVariable("user_defined_dpi", &dpi));
    CHECK(dpi == 300);
    int untouched = -1;
    CHECK_FALSE(api.GetIntVariable("tessedit_char_whitelist", &untouched));
    CHECK(untouched == -1);
    bool numeric = false;
    CHECK(api.GetBoolVariable("classify_bln_numeric_mode", &numeric));
    CHECK(numeric);
    double ratio = 0;
    CHECK(api.GetDoubleVariable("classify_max_rating_ratio", &ratio));
    CHECK(ratio == doctest::Approx(1.5));
    std::string whitelist;
    CHECK(api.GetVariableAsString("tessedit_char_whitelist", &whitelist));
    CHECK(whitelist == "ABC123");
    CHECK(api.GetStringVariable("tessedit_char_whitelist") == std::optional<std::string>("ABC123"));
    CHECK_FALSE(api.GetStringVariable("no_such_parameter"));

    char config[] = "/tmp/remoteobj-corpus-tessconfig-XXXXXX";
    const int fd = ::mkstemp(config);
    REQUIRE(fd >= 0);
    const char lines[] = "textord_min_xheight 12\nclassify_debug_level 5\n";
    REQUIRE(::write(fd, lines, sizeof lines - 1) == static_cast<ssize_t>(sizeof lines - 1));
    ::close(fd);
    api.ReadConfigFile(config);                                   // a file both processes see
    int xheight = 0, debug = 0;
    CHECK(api.GetIntVariable("textord_min_xheight", &xheight));
    CHECK(xheight == 12);
    CHECK(api.GetIntVariable("classify_debug_level", &debug));
    CHECK(debug == 2);                                            // ReadConfigFile skips debug parameters
    api.ReadDebugConfigFile(config);
    CHECK(api.GetIntVariable("classify_debug_level", &debug));
    CHECK(debug == 5);
    ::unlink(config);
    CHECK(served.join() == tesseract::PSM_SINGLE_BLOCK);
}

TEST_CASE("Tesseract TessBaseAPI: page layout settings, and the text direction through two in-out pointers") {
    auto served = served_api();
    auto api = served.proxy();
    api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    CHECK(api.GetPageSegMode() == tesseract::PSM_SINGLE_LINE);
    api.SetSourceResolution(300);
    CHECK(api.GetSourceYResolution() == 300);
    CHECK(api.MeanTextConf() == 0);

    int offset = 0;
    float slope = 0;
    CHECK_FALSE(api.GetTextDirection(&offset, &slope));          // no rectangle yet
    api.SetRectangle(10, 20, 200, 40);
    CHECK(api.GetTextDirection(&offset, &slope));
    CHECK(offset == 40);
    CHECK(slope == doctest::Approx(0.5f));
    CHECK(api.MeanTextConf() == 87);

    CHECK(api.IsValidWord("hello") == 1);
    CHECK(api.IsValidWord("helo") == 0);
    CHECK(api.IsValidCharacter("a"));
    CHECK_FALSE(api.IsValidCharacter("%"));
    CHECK(api.GetUnichar(3) == std::optional<std::string>("a"));
    CHECK_FALSE(api.GetUnichar(99));
    CHECK(api.AdaptToWordStr(tesseract::PSM_SINGLE_WORD, "hello"));
    CHECK(api.GetGradient() == doctest::Approx(0.25f));
    api.set_min_orientation_margin(3.5);
    api.ClearAdaptiveClassifier();
    api.Clear();
    CHECK(served.join() == tesseract::PSM_SINGLE_LINE);
}
