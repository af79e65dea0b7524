// OpenCV's VideoCapture served by a forked child, called from the parent through
// its generated proxy: opening a file or a camera (a std::vector<int> of
// parameters), properties, grabbing, the exception mode and its exceptions.
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "corpus_support.hpp"
#include "opencv.hpp"
#include "opencv.remote.hpp"

namespace {

corpus::Served<cv::VideoCapture> served_capture() {
    return corpus::Served<cv::VideoCapture>(
        "opencv-capture", [] { return std::make_unique<cv::VideoCapture>(); },
        [](cv::VideoCapture& cap) { return static_cast<int>(cap.get(cv::CAP_PROP_POS_FRAMES)); });
}

}  // namespace

TEST_CASE("OpenCV VideoCapture: a file opened in the child, its properties and frames read from here") {
    auto served = served_capture();
    auto cap = served.proxy();
    CHECK_FALSE(cap.isOpened());
    CHECK_FALSE(cap.open(cv::String("notes.txt")));            // apiPreference takes its default
    CHECK(cap.open(cv::String("clip.avi"), cv::CAP_FFMPEG));
    CHECK(cap.isOpened());
    CHECK(cap.getBackendName() == "FFMPEG");
    CHECK(cap.get(cv::CAP_PROP_FRAME_COUNT) == 100);
    CHECK(cap.get(cv::CAP_PROP_FPS) == 25);
    CHECK(cap.grab());
    CHECK(cap.grab());
    CHECK(cap.get(cv::CAP_PROP_POS_FRAMES) == 2);
    CHECK(cap.get(cv::CAP_PROP_POS_MSEC) == 80);
    CHECK(cap.set(cv::CAP_PROP_POS_FRAMES, 99));
    CHECK(cap.grab());
    CHECK_FALSE(cap.grab());                                    // the end of the file
    CHECK_FALSE(cap.set(cv::CAP_PROP_POS_FRAMES, 101));
    CHECK(served.join() == 100);
}

TEST_CASE("OpenCV VideoCapture: a camera opened with a vector of parameters, and the exception mode") {
    auto served = served_capture();
    auto cap = served.proxy();
    const std::vector<int> params{cv::CAP_PROP_FRAME_WIDTH, 1280, cv::CAP_PROP_FRAME_HEIGHT, 720};
    CHECK(cap.open(0, cv::CAP_V4L, params));
    CHECK(cap.getBackendName() == "V4L2");
    CHECK(cap.get(cv::CAP_PROP_FRAME_WIDTH) == 1280);
    CHECK(cap.get(cv::CAP_PROP_FRAME_HEIGHT) == 720);
    CHECK(cap.grab());

    CHECK_FALSE(cap.getExceptionMode());
    cap.setExceptionMode(true);
    CHECK(cap.getExceptionMode());
    CHECK_THROWS_WITH(cap.open(3), doctest::Contains("could not open camera 3"));  // thrown in the child
    CHECK_FALSE(cap.isOpened());                                // open() released the camera first
    CHECK_THROWS_WITH(cap.getBackendName(), doctest::Contains("not opened"));
    cap.release();
    CHECK(served.join() == 0);
}
