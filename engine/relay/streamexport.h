#pragma once

#include "relay/exportwriter.h"
#include "relay/storeerror.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

namespace Pitwall {

class EventStore;
struct StreamInfo;

// One stream export (all epochs, or one), shared by the REST export and the desktop console so
// both produce the same bytes: ExportWriter's header and rows over EventStore::exportRows.
class StreamExport final
{
public:
    // Gets the export chunk by chunk; false stops it.
    using Sink = std::function<bool(const QByteArray &chunk)>;

    StreamExport(const EventStore &events, ExportWriter::Format format)
        : m_events(events), m_writer(format)
    {
    }

    // Feeds the whole export to `sink`. The header travels with the first rows, or alone at the
    // end of an export without rows, so nothing reaches the sink before the first page was read
    // (a failure that early is still a clean error). False (and *error) when the database failed;
    // true when done or stopped by the sink (stopped()).
    bool run(const QString &streamId, std::optional<qint64> epoch, const Sink &sink,
             StoreError *error);
    qint64 rowsWritten() const { return m_rows; }
    bool stopped() const { return m_stopped; }

    static QString extension(ExportWriter::Format format);
    // "<forwarder>_<reader ip>[_epoch<N>].<ext>"; anything but [A-Za-z0-9._-] becomes '_', so no
    // device-chosen id can break out of a quoted header value or a directory.
    static QString fileName(const StreamInfo &stream, std::optional<qint64> epoch,
                            ExportWriter::Format format);

private:
    const EventStore &m_events;
    const ExportWriter m_writer;
    qint64 m_rows = 0;
    bool m_stopped = false;
};

} // namespace Pitwall
