#pragma once

#include <QMessageBox>
#include <QString>

#include <functional>

class QWidget;

namespace Pitwall {

// The relay panels' window-modal message boxes and input dialogs, opened without blocking
// (QDialog::open) and deleted when closed. objectName lets tests (and screen readers' users)
// find each one.

// A question whose only way forward is `action` (a destructive-role button, Cancel is the
// default): `confirmed` runs after that button was clicked, nothing otherwise.
void askToConfirm(QWidget *parent, const QString &objectName, const QString &title,
                  const QString &text, const QString &action, std::function<void()> confirmed);

// A one-line text input prefilled with `text`: `entered` runs with what the user typed after OK.
void askForText(QWidget *parent, const QString &objectName, const QString &title,
                const QString &label, const QString &text,
                std::function<void(const QString &)> entered);

// A message with an OK button only.
void showNotice(QWidget *parent, const QString &objectName, QMessageBox::Icon icon,
                const QString &title, const QString &text);

} // namespace Pitwall
