// A private directory for a test's sockets, removed with what is left in it.
#pragma once

#include <doctest/doctest.h>

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

struct TempDir {
    std::string path;
    TempDir() {
        char name[] = "/tmp/remoteobj-test-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        path = name;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        if (DIR* dir = ::opendir(path.c_str())) {
            while (dirent* entry = ::readdir(dir))
                if (entry->d_name[0] != '.') ::unlink((path + "/" + entry->d_name).c_str());
            ::closedir(dir);
        }
        ::rmdir(path.c_str());
    }
    std::string address(const char* name) const { return "unix:" + path + "/" + name; }
    std::string file(const char* name) const { return path + "/" + name; }
};
