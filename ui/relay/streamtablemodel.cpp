#include "streamtablemodel.h"

#include "relayformat.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The row with the event's values over its own, built afresh: Qt 6.4's QJsonObject never
// compacts, so insert() over a key with a string value appends the new bytes and keeps the
// old ones. Updated in place, a busy stream's row grew by the size of its strings on every
// metrics event, without bound (2 MB in 25 minutes at 2 000 reads/s; heaptrack).
QJsonObject merged(const QJsonObject &row, const QJsonObject &event)
{
    QJsonObject result;
    for (auto it = row.constBegin(); it != row.constEnd(); ++it) {
        if (!event.contains(it.key()))
            result.insert(it.key(), it.value());
    }
    for (auto it = event.constBegin(); it != event.constEnd(); ++it) {
        if (it.key() != u"type"_s)
            result.insert(it.key(), it.value());
    }
    return result;
}

} // namespace

StreamTableModel::StreamTableModel(QObject *parent) : KeyedTableModel<StreamRow>(parent)
{
    m_clock.start();
    m_lagTick.setInterval(std::chrono::seconds(1));
    connect(&m_lagTick, &QTimer::timeout, this, [this] {
        if (rowCount() > 0)
            emit dataChanged(index(0, Lag), index(rowCount() - 1, Lag), {Qt::DisplayRole});
    });
    m_lagTick.start();
}

QVariant StreamTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Stream");
    case Forwarder: return tr("Forwarder");
    case Reader: return tr("Reader");
    case Online: return tr("Online");
    case ReaderConnected: return tr("Reader connected");
    case Epoch: return tr("Epoch");
    case PendingEpoch: return tr("Pending epoch");
    case Events: return tr("Events");
    case Raw: return tr("Raw reads");
    case Retransmits: return tr("Retransmits");
    case Conflicts: return tr("Conflicts");
    case Lag: return tr("Lag");
    default: return {};
    }
}

QJsonObject StreamTableModel::stream(const QString &streamId) const
{
    const StreamRow *row = current(streamId);
    return row ? row->json : QJsonObject();
}

void StreamTableModel::setStreams(const QList<QJsonObject> &streams)
{
    QList<StreamRow> rows;
    for (const QJsonObject &json : streams)
        rows.append({json, m_clock.elapsed()});
    merge(rows);
    m_loaded = true;
    for (const QJsonObject &event : std::exchange(m_early, {}))
        applyEvent(event);
    flush();
}

void StreamTableModel::applyEvent(const QJsonObject &event)
{
    if (!m_loaded) {
        m_early.append(event);
        return;
    }
    const QString type = event.value(u"type"_s).toString();
    const StreamRow *known = current(event.value(u"stream_id"_s).toString());
    if (!known && type != u"stream_created"_s)
        return; // not one of ours yet: the next snapshot brings it
    StreamRow updated = known ? *known : StreamRow();
    updated.json = merged(updated.json, event);
    if (event.contains(u"lag_ms"_s))
        updated.lagAt = m_clock.elapsed();
    stage(updated);
}

QString StreamTableModel::displayName(const QJsonObject &stream)
{
    const QString alias = stream.value(u"display_alias"_s).toString();
    return alias.isEmpty() ? stream.value(u"reader_ip"_s).toString() : alias;
}

QString StreamTableModel::nameOf(const QString &streamId) const
{
    const StreamRow *row = current(streamId);
    return row ? displayName(row->json) : streamId;
}

QString StreamTableModel::key(const StreamRow &row) const
{
    return row.json.value(u"stream_id"_s).toString();
}

QVariant StreamTableModel::cell(const StreamRow &row, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case Qt::ToolTipRole:
        if (column == Name)
            return row.json.value(u"stream_id"_s).toString();
        if (column == Forwarder)
            return row.json.value(u"forwarder_id"_s).toString();
        return {};
    case Qt::TextAlignmentRole:
        if (column >= Events)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant StreamTableModel::display(const StreamRow &row, int column) const
{
    const QJsonObject &json = row.json;
    switch (column) {
    case Name:
        return displayName(json);
    case Forwarder: {
        const QString name = json.value(u"forwarder_display_name"_s).toString();
        return name.isEmpty() ? json.value(u"forwarder_id"_s).toString() : name;
    }
    case Reader:
        return json.value(u"reader_ip"_s).toString();
    case Online:
        return json.value(u"online"_s).toBool() ? tr("Online") : tr("Offline");
    case ReaderConnected:
        return json.value(u"reader_connected"_s).toBool() ? tr("Connected") : tr("Disconnected");
    case Epoch:
        return RelayFormat::epoch(json.value(u"stream_epoch"_s),
                                  json.value(u"current_epoch_name"_s));
    case PendingEpoch:
        return RelayFormat::count(json.value(u"pending_epoch"_s));
    case Events:
        return RelayFormat::count(json.value(u"dedup_count"_s));
    case Raw:
        return RelayFormat::count(json.value(u"raw_count"_s));
    case Retransmits:
        return RelayFormat::count(json.value(u"retransmit_count"_s));
    case Conflicts:
        return RelayFormat::count(json.value(u"conflict_count"_s));
    case Lag: {
        const QJsonValue lag = json.value(u"lag_ms"_s);
        if (!lag.isDouble())
            return QString();
        return RelayFormat::duration(lag.toInteger() + m_clock.elapsed() - row.lagAt);
    }
    default:
        return {};
    }
}

} // namespace Pitwall
