#pragma once

#include "vod/vodstate.h"

#include <QList>

namespace Pitwall {

// The one table of allowed state changes. VodStore refuses any other change, and every change
// it makes leaves an audit row in vod_transitions.
//
//   queued          -> downloading | downloaded (claim), canceled, throttled
//   downloading     -> downloaded, failed_retry, failed_terminal, canceled,
//                      queued (released by its worker), downloading (claimed again after the
//                      lease ran out)
//   downloaded      -> uploading, done (already uploaded), done_no_upload, throttled, canceled,
//                      failed_retry, failed_terminal, queued (the file went missing),
//                      downloaded | downloading (claimed again; downloading when the download
//                      is no longer complete)
//   uploading       -> done, failed_retry, failed_terminal, throttled, canceled,
//                      downloaded (released, or claimed again: the upload resumes its session),
//                      downloading (claimed again without a complete download)
//   failed_retry    -> downloading | downloaded (claim), canceled, queued (reprocess)
//   throttled       -> downloading | downloaded (claim), canceled, queued (reprocess)
//   failed_terminal, canceled, done, done_no_upload -> queued (reprocess)
//
// The runbook's SQL reset (processed=0) re-queues from any state through the schema's trigger,
// outside this table: it is the operator's override.
class VodTransitions final
{
public:
    static bool isAllowed(VodState from, VodState to);
    // The states `from` may change to, in VodState order.
    static QList<VodState> targets(VodState from);
};

} // namespace Pitwall
