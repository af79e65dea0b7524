// A header without a REMOTEOBJ class, listed by mistake.
#pragma once

struct Plain {
    int value = 0;
};
