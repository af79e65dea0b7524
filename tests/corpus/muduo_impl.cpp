// The bodies muduo keeps in muduo/net/Buffer.cc, as test doubles: Buffer's
// definitions of its constants, and a readFd() that reads what one read(2) gives.
#include "muduo.hpp"

#include <errno.h>
#include <unistd.h>

namespace muduo {
namespace net {

const char Buffer::kCRLF[] = "\r\n";

const size_t Buffer::kCheapPrepend;
const size_t Buffer::kInitialSize;

ssize_t Buffer::readFd(int fd, int* savedErrno)
{
  char extrabuf[4096];
  const ssize_t n = ::read(fd, extrabuf, sizeof extrabuf);
  if (n < 0)
  {
    *savedErrno = errno;
  }
  else
  {
    append(extrabuf, static_cast<size_t>(n));
  }
  return n;
}

}  // namespace net
}  // namespace muduo
