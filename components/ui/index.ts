export { Button, buttonClasses, type ButtonProps, type ButtonSize, type ButtonVariant } from "./button";
export { Input } from "./input";
export { Label, type LabelProps } from "./label";
export { Field, type FieldControlProps, type FieldProps } from "./field";
export { Card, CardBody, CardFooter, CardHeader, type CardHeaderProps } from "./card";
export { Alert, type AlertProps, type AlertTone } from "./alert";
export { Badge, type BadgeProps, type BadgeTone } from "./badge";
export { PageHeader, type PageHeaderProps } from "./page-header";
export { EmptyState, type EmptyStateProps } from "./empty-state";
