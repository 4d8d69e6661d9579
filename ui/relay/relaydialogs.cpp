#include "relaydialogs.h"

#include <QInputDialog>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace Pitwall {

void askToConfirm(QWidget *parent, const QString &objectName, const QString &title,
                  const QString &text, const QString &action, std::function<void()> confirmed)
{
    auto *box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    box->setObjectName(objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *button = box->addButton(action, QMessageBox::DestructiveRole);
    button->setObjectName(objectName + u"Button"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, button, confirmed = std::move(confirmed)] {
                         if (box->clickedButton() == button)
                             confirmed();
                     });
    box->open();
}

void askForText(QWidget *parent, const QString &objectName, const QString &title,
                const QString &label, const QString &text,
                std::function<void(const QString &)> entered)
{
    auto *dialog = new QInputDialog(parent);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextValue(text);
    QObject::connect(dialog, &QInputDialog::textValueSelected, dialog, std::move(entered));
    dialog->open();
}

void showNotice(QWidget *parent, const QString &objectName, QMessageBox::Icon icon,
                const QString &title, const QString &text)
{
    auto *box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setObjectName(objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace Pitwall
