; Call sites: obj.method(args), obj?.method(args), obj.method { lambda }, and bare method(args) (inside
; `apply { }` / `with(x) { }` the adapter supplies the implicit receiver).
(call_expression
  .
  (navigation_expression
    .
    (_) @receiver
    (identifier) @method
    .)
  (value_arguments)? @args) @call

(call_expression
  .
  (identifier) @method
  (value_arguments)? @args) @call
