#pragma once

#include <QWidget>

class QPushButton;
class QTableView;

namespace Pitwall {

class RelayConsole;
class TokenTableModel;

// Device tokens: every token with its device and state; provision a new one (the raw token is
// shown once, in the dialog) and revoke one after a confirmation naming the device.
class TokensPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokensPanel)

public:
    explicit TokensPanel(RelayConsole &console, QWidget *parent = nullptr);
    ~TokensPanel() override;

private:
    void load();
    void updateRevoke();
    void provision();
    void revoke();

    RelayConsole &m_console;
    TokenTableModel *m_model;
    QTableView *m_view;
    QPushButton *m_revoke;
};

} // namespace Pitwall
