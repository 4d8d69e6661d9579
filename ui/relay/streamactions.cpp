#include "streamactions.h"

#include "relayconsole.h"
#include "relayconsoleservice.h"
#include "relaydialogs.h"
#include "streamexporter.h"
#include "streamtablemodel.h"


using namespace Qt::StringLiterals;

namespace Pitwall {

StreamActions::StreamActions(RelayConsole &console, QWidget *parent)
    : QObject(parent)
    , m_console(console)
    , m_parent(parent)
    , m_exporter(new StreamExporter(console.database(), parent))
{
    connect(&console, &RelayConsole::epochResetFinished, this, &StreamActions::resetFinished);
}

void StreamActions::rename(const QJsonObject &stream)
{
    askForText(m_parent, u"renameStreamDialog"_s, tr("Rename stream"),
               tr("Name of the stream of reader %1 (empty: show the reader's address):")
                       .arg(stream.value(u"reader_ip"_s).toString()),
               stream.value(u"display_alias"_s).toString(),
               [this, streamId = stream.value(u"stream_id"_s).toString()](const QString &text) {
                   m_console.run([streamId, alias = text.trimmed()](RelayConsoleService &service) {
                       service.rename(streamId, alias);
                   });
               });
}

void StreamActions::nameEpoch(const QJsonObject &stream, const EpochInfo &epoch)
{
    askForText(m_parent, u"nameEpochDialog"_s, tr("Name epoch"),
               tr("Name of epoch %1 of stream %2 (empty: no name):")
                       .arg(epoch.epoch)
                       .arg(StreamTableModel::displayName(stream)),
               epoch.name.value_or(QString()),
               [this, streamId = stream.value(u"stream_id"_s).toString(),
                number = epoch.epoch](const QString &text) {
                   m_console.run([streamId, number, text](RelayConsoleService &service) {
                       service.nameEpoch(streamId, number, text);
                   });
               });
}

void StreamActions::resetEpoch(const QJsonObject &stream)
{
    const QString name = StreamTableModel::displayName(stream);
    if (!stream.value(u"online"_s).toBool()) {
        explainOffline(name);
        return;
    }
    const QString streamId = stream.value(u"stream_id"_s).toString();
    const qint64 epoch = stream.value(u"stream_epoch"_s).toInteger();
    // Repeated requests before the new epoch's first read keep the pending target.
    const qint64 next = stream.value(u"pending_epoch"_s).toInteger(epoch + 1);
    askToConfirm(m_parent, u"epochResetConfirm"_s, tr("Reset epoch?"),
                 tr("Reset the epoch of stream %1 (forwarder %2, reader %3)?\n\nIts current "
                    "epoch is %4. The forwarder is told to start epoch %5; the reads of epoch %4 "
                    "stay stored and can still be exported.")
                         .arg(name, stream.value(u"forwarder_id"_s).toString(),
                              stream.value(u"reader_ip"_s).toString())
                         .arg(epoch)
                         .arg(next),
                 tr("Reset epoch"), [this, streamId, name] {
                     m_resetting.insert(streamId, name);
                     m_console.resetEpoch(streamId);
                 });
}

void StreamActions::exportStream(const QJsonObject &stream, std::optional<qint64> epoch,
                                 qint64 expectedRows)
{
    m_exporter->exportStream(stream, epoch, expectedRows);
}

void StreamActions::resetFinished(const QString &streamId, int status, const QString &message)
{
    const auto it = m_resetting.constFind(streamId);
    if (it == m_resetting.cend())
        return; // another panel's request
    const QString name = *it;
    m_resetting.erase(it);
    if (status == 204) {
        emit m_console.message(tr("Epoch reset sent to the forwarder of stream %1.").arg(name));
        return;
    }
    if (status == 409) {
        explainOffline(name); // went offline after the confirmation
        return;
    }
    showNotice(m_parent, u"epochResetFailed"_s, QMessageBox::Warning, tr("Epoch reset failed"),
               tr("The epoch of stream %1 was not reset: %2 (HTTP %3).")
                       .arg(name, message)
                       .arg(status));
}

void StreamActions::explainOffline(const QString &streamName)
{
    showNotice(m_parent, u"epochResetOffline"_s, QMessageBox::Information,
               tr("Forwarder offline"),
               tr("The forwarder of stream %1 is not connected, so its epoch cannot be reset "
                  "now.\n\nAn epoch reset is sent to the forwarder over its live session; "
                  "without one the relay refuses it (409 Conflict). Nothing was changed. Reset "
                  "the epoch once the forwarder is online again.")
                       .arg(streamName));
}

} // namespace Pitwall
