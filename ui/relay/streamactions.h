#pragma once

#include "relay/epochinfo.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <optional>

class QWidget;

namespace Pitwall {

class RelayConsole;
class StreamExporter;

// The actions on one stream that the streams panel and the stream detail panel offer: rename,
// epoch naming, epoch reset and export, each with its dialog. An epoch reset names the stream and its
// current epoch before anything happens; with the forwarder offline it only explains why it
// cannot be done (the relay answers 409: the reset travels over the forwarder's live session).
class StreamActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamActions)

public:
    StreamActions(RelayConsole &console, QWidget *parent);

    // `stream` is a StreamTableModel object.
    void rename(const QJsonObject &stream);
    // Names `epoch` of `stream`, or clears its name.
    void nameEpoch(const QJsonObject &stream, const EpochInfo &epoch);
    void resetEpoch(const QJsonObject &stream);
    void exportStream(const QJsonObject &stream, std::optional<qint64> epoch,
                      qint64 expectedRows);

private:
    void resetFinished(const QString &streamId, int status, const QString &message);
    void explainOffline(const QString &streamName);

    RelayConsole &m_console;
    QWidget *m_parent;
    StreamExporter *m_exporter;
    QHash<QString, QString> m_resetting; // stream id -> name, resets this object asked for
};

} // namespace Pitwall
