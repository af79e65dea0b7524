// Test doubles for the bodies OpenCV keeps in modules/videoio/src/cap.cpp and
// core: a capture whose "file" is a run of numbered frames. A file name ending in
// .avi or .mp4 opens (100 frames, 25 fps, 640x480), a camera index 0 opens (an
// endless stream); anything else fails, or throws in exception mode, as OpenCV does.
#include "opencv.hpp"

#include <stdexcept>

namespace cv
{

Mat::Mat() : flags(0), dims(0), rows(0), cols(0) {}
Mat::Mat(int _rows, int _cols, int) : flags(0), dims(2), rows(_rows), cols(_cols) {}
UMat::UMat() : rows(0), cols(0) {}
_InputArray::_InputArray() : flags(0), obj(nullptr) {}
_InputArray::_InputArray(const Mat& m) : flags(0), obj(const_cast<Mat*>(&m)) {}
_OutputArray::_OutputArray() {}
_OutputArray::_OutputArray(Mat& m) : _InputArray(m) {}

// The test double's backend.
class IVideoCapture
{
public:
    String backend;
    double frames = 0;      // 0: a camera, endless
    double position = 0;
    double fps = 25;
    double width = 640;
    double height = 480;
};

VideoCapture::VideoCapture() : throwOnFail(false) {}
VideoCapture::VideoCapture(const String& filename, int apiPreference) : VideoCapture() { open(filename, apiPreference); }
VideoCapture::VideoCapture(const String& filename, int apiPreference, const std::vector<int>& params) : VideoCapture()
{
    open(filename, apiPreference, params);
}
VideoCapture::VideoCapture(int index, int apiPreference) : VideoCapture() { open(index, apiPreference); }
VideoCapture::VideoCapture(int index, int apiPreference, const std::vector<int>& params) : VideoCapture()
{
    open(index, apiPreference, params);
}
VideoCapture::~VideoCapture() { release(); }

namespace
{
bool ends_with(const String& s, const char* tail)
{
    const String t(tail);
    return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}
const char* backend_name(int apiPreference)
{
    switch (apiPreference)
    {
    case CAP_FFMPEG: return "FFMPEG";
    case CAP_GSTREAMER: return "GSTREAMER";
    case CAP_V4L: return "V4L2";
    case CAP_IMAGES: return "CV_IMAGES";
    default: return "FFMPEG";
    }
}
}  // namespace

bool VideoCapture::open(const String& filename, int apiPreference)
{
    return open(filename, apiPreference, std::vector<int>());
}

bool VideoCapture::open(const String& filename, int apiPreference, const std::vector<int>& params)
{
    release();
    if (!ends_with(filename, ".avi") && !ends_with(filename, ".mp4"))
    {
        if (throwOnFail) throw std::runtime_error("could not open '" + filename + "'");
        return false;
    }
    icap = std::make_shared<IVideoCapture>();
    icap->backend = backend_name(apiPreference);
    icap->frames = 100;
    for (size_t i = 0; i + 1 < params.size(); i += 2) set(params[i], params[i + 1]);
    return true;
}

bool VideoCapture::open(int index, int apiPreference) { return open(index, apiPreference, std::vector<int>()); }

bool VideoCapture::open(int index, int apiPreference, const std::vector<int>& params)
{
    release();
    if (index != 0)
    {
        if (throwOnFail) throw std::runtime_error("could not open camera " + std::to_string(index));
        return false;
    }
    icap = std::make_shared<IVideoCapture>();
    icap->backend = apiPreference == CAP_ANY ? "V4L2" : backend_name(apiPreference);
    for (size_t i = 0; i + 1 < params.size(); i += 2) set(params[i], params[i + 1]);
    return true;
}

bool VideoCapture::isOpened() const { return icap != nullptr; }

void VideoCapture::release() { icap.reset(); }

bool VideoCapture::grab()
{
    if (!icap || (icap->frames > 0 && icap->position >= icap->frames)) return false;
    icap->position += 1;
    return true;
}

bool VideoCapture::retrieve(OutputArray, int) { return icap && icap->position > 0; }
VideoCapture& VideoCapture::operator>>(Mat&) { grab(); return *this; }
VideoCapture& VideoCapture::operator>>(UMat&) { grab(); return *this; }
bool VideoCapture::read(OutputArray image) { return grab() && retrieve(image); }

bool VideoCapture::set(int propId, double value)
{
    if (!icap) return false;
    switch (propId)
    {
    case CAP_PROP_POS_FRAMES:
        if (value < 0 || (icap->frames > 0 && value > icap->frames)) return false;
        icap->position = value;
        return true;
    case CAP_PROP_FRAME_WIDTH: icap->width = value; return true;
    case CAP_PROP_FRAME_HEIGHT: icap->height = value; return true;
    case CAP_PROP_FPS: icap->fps = value; return true;
    default: return false;
    }
}

double VideoCapture::get(int propId) const
{
    if (!icap) return 0;
    switch (propId)
    {
    case CAP_PROP_POS_FRAMES: return icap->position;
    case CAP_PROP_POS_MSEC: return icap->position * 1000 / icap->fps;
    case CAP_PROP_FRAME_WIDTH: return icap->width;
    case CAP_PROP_FRAME_HEIGHT: return icap->height;
    case CAP_PROP_FPS: return icap->fps;
    case CAP_PROP_FRAME_COUNT: return icap->frames;
    default: return 0;
    }
}

String VideoCapture::getBackendName() const
{
    if (!icap) throw std::runtime_error("VideoCapture::getBackendName: the stream is not opened");
    return icap->backend;
}

bool VideoCapture::waitAny(const std::vector<VideoCapture>&, std::vector<int>&, int64) { return false; }

}  // namespace cv
