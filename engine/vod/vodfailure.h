#pragma once

#include <QString>

namespace Pitwall {

// A failed download or upload cycle as the worker reports it to VodStore.
struct VodFailure
{
    QString error; // stored as processing_error (uploads get the "upload: " prefix)
    // Not worth retrying (auth-required, not found, invalid title): failed_terminal at once.
    bool terminal = false;
};

} // namespace Pitwall
