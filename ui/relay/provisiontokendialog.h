#pragma once

#include "relay/tokenstore.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace Pitwall {

class RelayConsole;

// Provisions one device token: type and device id in, then the raw token, shown this once
// (the database keeps only its hash) with a copy button and a warning to store it now.
class ProvisionTokenDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProvisionTokenDialog)

public:
    explicit ProvisionTokenDialog(RelayConsole &console, QWidget *parent = nullptr);
    ~ProvisionTokenDialog() override;

private:
    QWidget *createRequestPage();
    QWidget *createTokenPage();
    void create();
    void created(const Pitwall::CreatedToken &token);
    void refused(const QString &message);

    RelayConsole &m_console;
    QStackedWidget *m_pages;
    QComboBox *m_deviceType = nullptr;
    QLineEdit *m_deviceId = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_identity = nullptr;
    QLineEdit *m_token = nullptr;
    QDialogButtonBox *m_buttons;
    QPushButton *m_create;
    bool m_waiting = false;
};

} // namespace Pitwall
