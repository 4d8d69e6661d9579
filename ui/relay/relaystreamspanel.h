#pragma once

#include <QJsonObject>
#include <QWidget>

class QPushButton;
class QTableView;

namespace Pitwall {

class RelayConsole;
class StreamActions;

// Relay streams: every stream with its forwarder, reader, online and reader flags, epoch and
// pending epoch, counts, conflicts and lag, live from the relay engine's events; rename, reset
// epoch and export the selected one.
class RelayStreamsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayStreamsPanel)

public:
    explicit RelayStreamsPanel(RelayConsole &console, QWidget *parent = nullptr);
    ~RelayStreamsPanel() override;

signals:
    // The selection moved (empty id: nothing selected).
    void streamSelected(const QString &streamId);

private:
    QJsonObject selectedStream() const;
    void selectionChanged();

    RelayConsole &m_console;
    StreamActions *m_actions;
    QTableView *m_view;
    QPushButton *m_rename;
    QPushButton *m_reset;
    QPushButton *m_export;
};

} // namespace Pitwall
