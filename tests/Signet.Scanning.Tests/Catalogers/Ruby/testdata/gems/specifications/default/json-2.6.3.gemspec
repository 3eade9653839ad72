# -*- encoding: utf-8 -*-
# stub: json 2.6.3 ruby lib
# stub: ext/json/ext/generator/extconf.rb ext/json/ext/parser/extconf.rb

Gem::Specification.new do |spec|
  spec.name = "json".freeze
  spec.version = "2.6.3"

  spec.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if spec.respond_to? :required_rubygems_version=
  spec.require_paths = ["lib".freeze]
  spec.authors = ["Florian Example".freeze]
  spec.date = "2023-03-30"
  spec.email = "flori@example.invalid".freeze
  spec.extensions = ["ext/json/ext/generator/extconf.rb".freeze, "ext/json/ext/parser/extconf.rb".freeze]
  spec.files = ["json.rb".freeze, "json/common.rb".freeze]
  spec.homepage = "https://example.invalid/json".freeze
  spec.licenses = ["Ruby".freeze, "BSD-2-Clause".freeze]
  spec.required_ruby_version = Gem::Requirement.new(">= 2.3".freeze)
  spec.rubygems_version = "3.4.10".freeze
  spec.summary = "JSON Implementation for Ruby (sample written for Signet's tests)".freeze
end
